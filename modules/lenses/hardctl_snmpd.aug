(*
Module: Hardctl_Snmpd
  Parses net-snmp's snmpd.conf (and the files of its includeDir).

About: Why
  Augeas ships no lens for snmpd.conf.  hardctl needs its community
  directives, in both the rocommunity/rwcommunity form and the older
  com2sec/group/access form, argument by argument.

About: Syntax
  One directive per line: a keyword, then arguments separated by
  blanks.  A line whose first non-blank is "#" is a comment; snmpd has
  no comments at the end of a directive.

About: Tree
  Each directive is a node labelled with its keyword; its arguments
  are numbered children "1", "2", ... in order:
  > rocommunity public default -V systemonly
  gives
  > { "rocommunity" { "1" = "public" } { "2" = "default" }
  >                 { "3" = "-V" } { "4" = "systemonly" } }
*)
module Hardctl_Snmpd =

let keyword = /[A-Za-z0-9_][A-Za-z0-9_.:-]*/
let token = /[^ \t\n]+/

let arg = [ seq "arg" . Sep.space . store token ]

let directive = [ Util.indent . key keyword . counter "arg" . arg* . Util.eol ]

let lns = ( Util.comment | Util.empty | directive )*
