module Test_Hardctl_Sudoers =

(* Debian 12's /etc/sudoers (sudo 1.9.13p3), its comments cut short and
   one of its commented Defaults taken in. *)
let debian = "#
# This file MUST be edited with the 'visudo' command as root.
Defaults	env_reset
Defaults	mail_badpass
Defaults	secure_path=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"
Defaults	use_pty
Defaults:%sudo env_keep += \"http_proxy https_proxy ftp_proxy all_proxy no_proxy\"

# User privilege specification
root	ALL=(ALL:ALL) ALL
%sudo	ALL=(ALL:ALL) ALL

@includedir /etc/sudoers.d
"

test Hardctl_Sudoers.lns get debian =
  { }
  { "#comment" = "This file MUST be edited with the 'visudo' command as root." }
  { "Defaults" { "env_reset" } }
  { "Defaults" { "mail_badpass" } }
  { "Defaults"
    { "secure_path" = "\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"" } }
  { "Defaults" { "use_pty" } }
  { "Defaults" { "type" = ":%sudo" }
    { "env_keep" = "\"http_proxy https_proxy ftp_proxy all_proxy no_proxy\""
      { "append" } } }
  { }
  { "#comment" = "User privilege specification" }
  { "spec" { "user" = "root" }
    { "host_group" { "host" = "ALL" }
      { "command" = "ALL" { "runas_user" = "ALL" } { "runas_group" = "ALL" } } } }
  { "spec" { "user" = "%sudo" }
    { "host_group" { "host" = "ALL" }
      { "command" = "ALL" { "runas_user" = "ALL" } { "runas_group" = "ALL" } } } }
  { }
  { "@includedir" = "/etc/sudoers.d" }

(* Parameters Sudoers's list lacks (timestamp_type, iolog_dir,
   pam_session, log_subcmds), negations as sudo counts them, blanks and
   a continued line around the operators, a quoted value holding ",",
   "#" and blanks, and each kind of binding. *)
let defaults = "Defaults timestamp_type=global,!!rootpw , passwd_tries = 5
Defaults iolog_dir=/var/log/sudo-io, !pam_session,log_subcmds
Defaults:bob, alice !authenticate, env_keep -= \"LANG TZ\"
Defaults>root !! ! targetpw, !! umask=022
Defaults!/bin/ls,PAGERS lecture=never # quiet
Defaults@db1 secure_path=\"/a b:/c,d#e\", env_delete \\
    += TZ
"

test Hardctl_Sudoers.lns get defaults =
  { "Defaults" { "timestamp_type" = "global" } { "rootpw" }
    { "passwd_tries" = "5" } }
  { "Defaults" { "iolog_dir" = "/var/log/sudo-io" }
    { "pam_session" { "negate" } } { "log_subcmds" } }
  { "Defaults" { "type" = ":bob, alice" }
    { "authenticate" { "negate" } }
    { "env_keep" = "\"LANG TZ\"" { "remove" } } }
  { "Defaults" { "type" = ">root" } { "targetpw" { "negate" } }
    { "umask" = "022" } }
  { "Defaults" { "type" = "!/bin/ls,PAGERS" } { "lecture" = "never" }
    { "#comment" = "quiet" } }
  { "Defaults" { "type" = "@db1" }
    { "secure_path" = "\"/a b:/c,d#e\"" }
    { "env_delete" = "TZ" { "append" } } }

(* What sudo refuses is no Defaults line: a value after a negation, an
   empty string, a line break in a string, three "!" tokens; nor is a
   "type" parameter (its node would be the binding's). *)
test Hardctl_Sudoers.lns get "Defaults !umask=077\n" = *
test Hardctl_Sudoers.lns get "Defaults lecture_file=\"\"\n" = *
test Hardctl_Sudoers.lns get "Defaults passprompt=\"a\nb\"\n" = *
test Hardctl_Sudoers.lns get "Defaults type=sysadm_t\n" = *
test Hardctl_Sudoers.lns get "Defaults ! ! !targetpw\n" = *

(* A backslash in quotes escapes a quote alone: sudo reads on past the
   second quote here, and the value holds ", rootpw". *)
test Hardctl_Sudoers.lns get "Defaults env_keep=\"A\\\\\" # \", rootpw\n" =
  { "Defaults" { "env_keep" = "\"A\\\\\" # \"" } { "rootpw" } }

(* A line continued where sudo reads on and the lens could not tell the
   next line from a line of its own: in a string, and a word's backslash
   before CR LF (sudo continues the line there: "#include" is a comment
   to it). *)
test Hardctl_Sudoers.lns get "Defaults env_keep=\"A \\\n%sudo ALL=(ALL) ALL # \"\n" = *
test Hardctl_Sudoers.lns get "Defaults secure_path=/usr/bin\\\r\n#include /etc/x\n" = *

(* Written back as read, and a parameter added. *)
test Hardctl_Sudoers.lns put "Defaults\tenv_reset, env_keep += \"A B\"\n" after
  clear "Defaults/rootpw"
  = "Defaults\tenv_reset, env_keep += \"A B\" , rootpw\n"
