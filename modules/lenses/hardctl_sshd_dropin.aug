(*
Module: Hardctl_Sshd_Dropin
  The lines hardctl writes to sshd's configuration: a keyword hardctl
  sets, its one-word value, comments and blank lines.  It renders such a
  file and nothing else; the file is read, and anything else in it
  rendered, with Augeas's own Sshd lens.

About: Why
  Sshd.lns compiles dozens of large case-insensitive expressions the
  first time it renders, more than everything else a dry run renders
  put together, though the drop-in hardctl writes holds two lines.  This
  lens is built from Sshd's own pieces (its separator, end of line,
  comment and blank line): on a file and a tree it can carry, it gives
  the bytes Sshd.lns gives (a line of it is one of Sshd.lns's
  other_entry lines, which the same separator and end of line write).
  Where it cannot carry them, it fails, and hardctl renders with
  Sshd.lns.

About: Tree
  The tree of Sshd.lns for the same lines: { "Banner" = "/etc/issue.net" },
  { "#comment" = "..." }, { } for a blank line.

About: Keywords
  Only those a rule of hardctl's sets (exact case); a keyword added to
  a module and not here is rendered by Sshd.lns, which is slower, never
  wrong.
*)
module Hardctl_Sshd_Dropin =

let keyword = /Banner|PermitRootLogin/

(* One word: Sshd.lns's value with no blank or '=' inside. *)
let entry = [ key keyword . Sshd.sep . store /[^ \t\n=]+/ . Sshd.eol ]

let lns = (entry | Sshd.comment | Sshd.empty)*
