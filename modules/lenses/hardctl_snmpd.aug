(*
Module: Hardctl_Snmpd
  Parses net-snmp's snmpd.conf and the files it includes.

About: Why
  Augeas ships no lens for snmpd.conf.  hardctl needs its community
  directives, in both the rocommunity/rwcommunity form and the older
  com2sec/group/access form, argument by argument, and the include
  directives exactly as snmpd reads them.

About: Syntax
  One directive per line: a keyword, then arguments separated by
  blanks.  A line whose first non-blank is "#" is a comment; snmpd has
  no comments at the end of a directive.  snmpd splits words at
  isspace(), so a file saved with CRLF line ends reads as if it had
  none: the carriage return before a newline is not part of the last
  argument.  Quotes and backslashes are kept as written: a directive's
  own parser decides what they mean (copy_nword() in net-snmp honours
  them, the access parser's strtok() does not).

  includeFile, includeDir and includeSearch (any case) take the rest
  of the line as it stands, blanks and a carriage return included:
  read_config.c opens exactly that.

About: Tree
  Each directive is a node labelled with its keyword; its arguments
  are numbered children "1", "2", ... in order:
  > rocommunity public default -V systemonly
  gives
  > { "rocommunity" { "1" = "public" } { "2" = "default" }
  >                 { "3" = "-V" } { "4" = "systemonly" } }
  An include is a node with the rest of its line as value:
  > includeDir /etc/snmp/snmpd.conf.d
  gives
  > { "includeDir" = "/etc/snmp/snmpd.conf.d" }
  A "[TYPE]" line sends the rest of the file to another program's
  directives (snmp.conf's, snmpd.conf's); with more on the line, only
  that line.  It is an "@context" node, the line's words its arguments:
  > [snmpd] rocommunity public
  gives
  > { "@context" = "snmpd" { "1" = "rocommunity" } { "2" = "public" } }
*)
module Hardctl_Snmpd =

let eol = Util.doseol
let sep = Sep.space

let include_kw = /[Ii][Nn][Cc][Ll][Uu][Dd][Ee]([Ff][Ii][Ll][Ee]|[Dd][Ii][Rr]|[Ss][Ee][Aa][Rr][Cc][Hh])/
let keyword = /[A-Za-z0-9_][A-Za-z0-9_.:-]*/ - include_kw

(* Any run of non-blanks, but a carriage return ending the line is the line end's. *)
let token = /[^ \t\n]*[^ \t\r\n]/

let arg = [ seq "arg" . sep . store token ]

let directive = [ Util.indent . key keyword . counter "arg" . arg* . eol ]

(* The rest of the line, verbatim: what read_config() opens. *)
let include = [ Util.indent . key include_kw . sep
              . store /[^ \t\r\n][^\n]*/ . del "\n" "\n" ]
            | [ Util.indent . key include_kw . eol ]

let context = [ Util.indent . Util.del_str "[" . label "@context"
              . store /[A-Za-z0-9_.-]+/ . Util.del_str "]"
              . counter "arg" . arg* . eol ]

let empty = [ del /[ \t]*#?[ \t]*\r?\n/ "\n" ]

let lns = ( Util.comment | empty | include | context | directive )*
