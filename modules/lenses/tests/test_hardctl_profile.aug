module Test_Hardctl_Profile =

let conf = "# A profile
[profile]
name = service-console
version = 2   # bumped when a default changes

[root-access.sshd-permit-root-login]
severity = CAT I
; a comment in a section
  value = no

[banner.motd]
"

test Hardctl_Profile.lns get conf =
  { "#comment" = "A profile" }
  { "profile"
    { "name" = "service-console" }
    { "version" = "2" { "#comment" = "bumped when a default changes" } }
    {  } }
  { "root-access.sshd-permit-root-login"
    { "severity" = "CAT I" }
    { "#comment" = "a comment in a section" }
    { "value" = "no" }
    {  } }
  { "banner.motd" }

(* A quoted value keeps a comment character *)
test Hardctl_Profile.lns get "[profile]\nname = \"a # b\"\n" =
  { "profile" { "name" = "a # b" } }

(* A key outside any section is a syntax error *)
test Hardctl_Profile.lns get "name = x\n" = *

(* A section title with a slash cannot be a tree label *)
test Hardctl_Profile.lns get "[a/b]\n" = *

test Hardctl_Profile.lns put "[banner.issue]\n" after
  set "banner.issue/text" "site-banner.txt" =
  "[banner.issue]\ntext=site-banner.txt\n"
