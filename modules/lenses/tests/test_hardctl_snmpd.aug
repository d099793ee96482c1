module Test_Hardctl_Snmpd =

(* Debian 12's directives, with the comment and blank lines around them. *)
let debian = "# comment
sysLocation    Sitting on the Dock of the Bay

agentaddress  127.0.0.1,[::1]
rocommunity  public default -V systemonly
rocommunity6 public default -V systemonly
"

test Hardctl_Snmpd.lns get debian =
  { "#comment" = "comment" }
  { "sysLocation" { "1" = "Sitting" } { "2" = "on" } { "3" = "the" }
                  { "4" = "Dock" } { "5" = "of" } { "6" = "the" } { "7" = "Bay" } }
  { }
  { "agentaddress" { "1" = "127.0.0.1,[::1]" } }
  { "rocommunity" { "1" = "public" } { "2" = "default" } { "3" = "-V" }
                  { "4" = "systemonly" } }
  { "rocommunity6" { "1" = "public" } { "2" = "default" } { "3" = "-V" }
                   { "4" = "systemonly" } }

(* The older model, with quoted and odd tokens. *)
test Hardctl_Snmpd.lns get "com2sec notConfigUser  default       public\naccess  notConfigGroup \"\"      any       noauth    exact  systemview none none\n" =
  { "com2sec" { "1" = "notConfigUser" } { "2" = "default" } { "3" = "public" } }
  { "access" { "1" = "notConfigGroup" } { "2" = "\"\"" } { "3" = "any" }
             { "4" = "noauth" } { "5" = "exact" } { "6" = "systemview" }
             { "7" = "none" } { "8" = "none" } }

(* A directive without arguments, indentation and trailing blanks. *)
test Hardctl_Snmpd.lns get "  master\nrwcommunity private  \n" =
  { "master" }
  { "rwcommunity" { "1" = "private" } }

(* Changing an argument keeps the spacing around it. *)
test Hardctl_Snmpd.lns put "rocommunity  public default -V systemonly\n" after
  set "rocommunity/1" "s3cret" =
  "rocommunity  s3cret default -V systemonly\n"

(* A new directive and a removed one. *)
test Hardctl_Snmpd.lns put "rwcommunity private\nsysContact me\n" after
  rm "rwcommunity";
  set "rocommunity/1" "x" =
  "sysContact me\nrocommunity x\n"

(* A comment at the end of a directive is not snmpd syntax: it is an argument. *)
test Hardctl_Snmpd.lns get "rocommunity public # note\n" =
  { "rocommunity" { "1" = "public" } { "2" = "#" } { "3" = "note" } }
