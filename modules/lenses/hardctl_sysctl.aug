(*
Module: Hardctl_Sysctl
  Parses /etc/sysctl.conf and the sysctl.d drop-ins as procps's
  `sysctl --system` and systemd-sysctl read them.

About: Why
  Augeas's Sysctl lens reads "-net.ipv4.conf.all.rp_filter" alone on a
  line (systemd-sysctl's "do not set this key") but cannot write it
  back: a copy of a package's drop-in holding such a line does not
  render.  It also keeps the carriage return of a CRLF line in the
  value, where both readers strip it ("1\r" is 1 to the kernel).

About: Syntax
  One setting per line, KEY = VALUE, KEY = (empty value) or KEY alone;
  a key may start with "-" and hold "/", "*" and ":".  A line whose
  first non-blank is "#" or ";" is a comment, and so is the text after
  " #" at the end of a setting.  Lines may end in CRLF.

About: Tree
  Each setting is a node labelled with its key, the "-" included:
  > -net.ipv4.conf.all.rp_filter = 2
  gives
  > { "-net.ipv4.conf.all.rp_filter" = "2" }
  "KEY =" gives the value "", "KEY" alone no value.
*)
module Hardctl_Sysctl =

let comment = Util.comment_generic /[ \t]*[#;][ \t]*/ "# "
let empty = Util.empty_generic /[ \t]*[#;]?[ \t]*\r?/

let key_re = /[*:\/A-Za-z0-9_.-]+/
let value_re = /'[^\n']*'/ | /"[^\n"]*"/
             | /[^\r\n \t'"#][^\r\n#]*[^\r\n \t#]|[^\r\n \t'"#]/

let some_value = Sep.space_equal . store value_re
(* A subtree of its own keeps "KEY =" apart from "KEY = VALUE" in a put. *)
let empty_value = [ del /[ \t]*=/ "=" ] . store ""

let entry = [ Util.indent . key key_re . (some_value | empty_value)?
              . (Util.doseol | Util.comment_eol) ]

let lns = (empty | comment | entry)*
