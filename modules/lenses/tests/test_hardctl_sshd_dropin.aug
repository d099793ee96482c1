module Test_Hardctl_Sshd_Dropin =

(* What hardctl writes to a new drop-in, as Sshd.lns writes it *)
test Hardctl_Sshd_Dropin.lns put "" after
  set "PermitRootLogin" "no";
  set "Banner" "/etc/issue.net" =
  "PermitRootLogin no\nBanner /etc/issue.net\n"
test Sshd.lns put "" after
  set "PermitRootLogin" "no";
  set "Banner" "/etc/issue.net" =
  "PermitRootLogin no\nBanner /etc/issue.net\n"

(* The tree Sshd.lns reads from the same lines *)
let dropin = "# hardctl\n\nBanner\t/etc/issue.net  \nPermitRootLogin=no\n"
test Hardctl_Sshd_Dropin.lns get dropin =
  { "#comment" = "hardctl" }
  { }
  { "Banner" = "/etc/issue.net" }
  { "PermitRootLogin" = "no" }
test Sshd.lns get dropin =
  { "#comment" = "hardctl" }
  { }
  { "Banner" = "/etc/issue.net" }
  { "PermitRootLogin" = "no" }

(* An edit keeps each line's blanks and separator, as Sshd.lns does *)
test Hardctl_Sshd_Dropin.lns put dropin after
  set "PermitRootLogin" "prohibit-password" =
  "# hardctl\n\nBanner\t/etc/issue.net  \nPermitRootLogin=prohibit-password\n"
test Sshd.lns put dropin after
  set "PermitRootLogin" "prohibit-password" =
  "# hardctl\n\nBanner\t/etc/issue.net  \nPermitRootLogin=prohibit-password\n"

(* What it cannot carry, Sshd.lns renders *)
test Hardctl_Sshd_Dropin.lns get "AcceptEnv LANG\n" = *
test Hardctl_Sshd_Dropin.lns get "permitrootlogin no\n" = *
test Hardctl_Sshd_Dropin.lns get "Banner /etc/a b\n" = *
test Hardctl_Sshd_Dropin.lns get "Match User x\n  Banner none\n" = *
test Hardctl_Sshd_Dropin.lns put "" after set "Port" "22" = *
test Hardctl_Sshd_Dropin.lns put "" after set "Banner" "a b" = *
