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

(* Debian 12's last line, and the other include forms in any case. *)
test Hardctl_Snmpd.lns get "includeDir /etc/snmp/snmpd.conf.d\nINCLUDEFILE  sub.conf\nincludeSearch snmpd-extra\n" =
  { "includeDir" = "/etc/snmp/snmpd.conf.d" }
  { "INCLUDEFILE" = "sub.conf" }
  { "includeSearch" = "snmpd-extra" }

(* read_config() opens the rest of the line as it stands: blanks, quotes, a CR. *)
test Hardctl_Snmpd.lns get "includeFile \"a b.conf\"  \nincludeDir /etc/snmp/d\r\n" =
  { "includeFile" = "\"a b.conf\"  " }
  { "includeDir" = "/etc/snmp/d\r" }

(* An include without its argument is an error snmpd skips. *)
test Hardctl_Snmpd.lns get "includeDir  \r\n" =
  { "includeDir" }

(* "include" alone is a keyword snmpd ignores with a warning, not an include. *)
test Hardctl_Snmpd.lns get "include x.conf\n" =
  { "include" { "1" = "x.conf" } }

(* CRLF: the carriage return ends the line, as isspace() makes it for snmpd. *)
test Hardctl_Snmpd.lns get "# crlf\r\n\r\nrocommunity public\r\n" =
  { "#comment" = "crlf" }
  { }
  { "rocommunity" { "1" = "public" } }

(* Quotes and backslashes stay as written, for each directive's parser to read. *)
test Hardctl_Snmpd.lns get "rocommunity \"pub lic\" pu\\ b\n" =
  { "rocommunity" { "1" = "\"pub" } { "2" = "lic\"" } { "3" = "pu\\" }
                  { "4" = "b" } }

(* A new community in a CRLF file keeps the line end. *)
test Hardctl_Snmpd.lns put "rocommunity public default\r\n" after
  set "rocommunity/1" "s3cret" =
  "rocommunity s3cret default\r\n"

(* A context for the rest of the file, and for one line. *)
test Hardctl_Snmpd.lns get "[snmp]\n[snmpd] rocommunity public\n" =
  { "@context" = "snmp" }
  { "@context" = "snmpd" { "1" = "rocommunity" } { "2" = "public" } }
