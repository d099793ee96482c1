(*
Module: Hardctl_Pwquality
  Parses libpwquality's pwquality.conf and the files of pwquality.conf.d.

About: Why
  Simplevars wants "key = value"; libpwquality also takes "key value"
  (src/settings.c, read_config_file), so a file pam_pwquality reads
  would not parse.

About: Syntax
  A "#" starts a comment, anywhere on the line.  A setting is a name
  ending at a blank or "=", then blanks and at most one "=", then the
  value, which ends before trailing blanks.  A name alone (a flag such
  as enforce_for_root) has no value.  A name and "=" with nothing after
  does not parse: libpwquality refuses it too, unless the name is a flag.

About: Tree
  Each setting is a node labelled with its name, its value the value:
  > minlen = 15
  gives
  > { "minlen" = "15" }
*)
module Hardctl_Pwquality =

let name = /[^ \t\n=#\/]+/
let value = /[^ \t\n#=]([^\n#]*[^ \t\n#])?/
let sep = del /[ \t]*=[ \t]*|[ \t]+/ " = "

let setting = [ Util.indent . key name . (sep . store value)?
              . (Util.eol | Util.comment_eol) ]

let lns = ( Util.comment | Util.empty | setting )*
