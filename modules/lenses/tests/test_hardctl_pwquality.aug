module Test_Hardctl_Pwquality =

(* Debian 12's pwquality.conf in part, and what else libpwquality reads:
   no "=", a trailing comment, a flag, a CR before the newline. *)
let conf = "# Configuration for systemwide password quality limits
#
# minlen = 8
minlen = 15
dcredit=-1
ucredit   -1
lcredit = -1 # at least one
enforce_for_root
difok = 8\r
"

test Hardctl_Pwquality.lns get conf =
  { "#comment" = "Configuration for systemwide password quality limits" }
  { }
  { "#comment" = "minlen = 8" }
  { "minlen" = "15" }
  { "dcredit" = "-1" }
  { "ucredit" = "-1" }
  { "lcredit" = "-1" { "#comment" = "at least one" } }
  { "enforce_for_root" }
  { "difok" = "8\r" }

(* A value set where there was none takes " = ". *)
test Hardctl_Pwquality.lns put "enforce_for_root\n" after
  set "minlen" "15" = "enforce_for_root\nminlen = 15\n"

(* libpwquality stops at an empty number: an error naming the line. *)
test Hardctl_Pwquality.lns get "ocredit =\n" = *

test Hardctl_Pwquality.lns put "ucredit   -1\n" after
  set "ucredit" "-2" = "ucredit   -2\n"
