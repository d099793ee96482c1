(*
Module: Hardctl_Sudoers
  Parses sudoers and its includes as hardctl's lockout judgment reads
  them: Augeas's Sudoers lens, with a Defaults line that takes every
  parameter sudo's own parser takes.

About: Why
  Sudoers reads a Defaults parameter only from its list of about 70
  names.  A file holding any other one that sudo knows ("Defaults
  timestamp_type=global", "Defaults iolog_dir=/var/log/sudo-io") does
  not parse at all, and nothing it grants or takes away can be judged.
  The list is also what makes the lens dear: its alternatives are
  compiled into every expression that takes in a Defaults line, about
  40 % of what reading Debian 12's sudoers costs.

About: Syntax
  A Defaults entry is read as sudo's lexer reads it: a name of
  lower-case letters and "_", negated by an odd number of "!" before it
  ("!! !rootpw", "!!! rootpw": sudo counts each run of them apart and
  takes one odd run),
  or else given a value with "=", "+=" or "-=" (blanks and continued
  lines around each).  A value is a word (no blank, ",", "=", "#" or
  '"', no "!" first; a backslash takes the character after it) or a
  double-quoted string on one line.  Which names sudo knows is sudo's
  business: visudo warns of an unknown one, and sudo passes over it.
  The binding ("Defaults:bob, alice", "Defaults@host") is one value,
  as in Sudoers, which takes no blank in it.  User specifications,
  aliases, includes and comments are Sudoers's own, so the tree read
  for them is the one Sudoers gives.  The one name left out
  is "type" (SELinux's), whose node would be the binding's.

About: Tree
  As Sudoers's for a flag; a value is the node's, as written (quotes
  kept), with an "append" or "remove" child for "+=" and "-=":
  > Defaults:bob !authenticate, env_keep += "LANG TZ"
  gives
  > { "Defaults" { "type" = ":bob" }
  >   { "authenticate" { "negate" } }
  >   { "env_keep" = "\"LANG TZ\"" { "append" } } }
*)
module Hardctl_Sudoers =

(* sudo's word: a backslash takes the next character, but for a line's
   end (a CR too: backslash, CR, LF continues the line). *)
let word = /([^#!=, \t\r\n\\"]|\\\\[^\r\n])([^#=, \t\r\n\\"]|\\\\[^\r\n])*/

(* sudo's string: a backslash before a quote escapes it, any other is
   itself ("A\\" goes on past that quote); the string ends at the first
   quote no backslash stands before.  A backslash before a line's end
   continues the string to the next line in sudo: here it does not
   parse, as nothing else the lens reads could tell where it ends. *)
let quoted = /"([^"\r\n\\]|\\\\+[^\r\n\\])+"/

(* The binding: users, hosts, Runas users or commands, a list. *)
let binding =
  let item = /!*(([^ \t\n\\,"]|\\\\[^\n])+|"[^"\n]+")/ in
  [ label "type"
    . store (/[@:!>][ \t]*/ . item . (/[ \t]*,[ \t]*/ . item)*) ]

let operator = Sudoers.sep_eq
             | [ label "append" . Sudoers.sep_cont_opt_build "+=" ]
             | [ label "remove" . Sudoers.sep_cont_opt_build "-=" ]

(* A flag, negated or not, or a value: a tree tells them apart by its
   value alone, as Sudoers's does. *)
let parameter =
  let name = key (/[a-z_]+/ - "type") in
  let even = del /((!!)+[ \t]*)?/ "" in
  let negate = [ del /![ \t]*/ "!" . label "negate" ] in
  [ even . negate? . name ] | [ even . name . operator . store (word | quoted) ]

let defaults = [ Util.indent . key "Defaults" . binding?
                 . Sudoers.sep_cont . parameter
                 . (Sudoers.sep_com . parameter)*
                 . Sudoers.comment_or_eol ]

let lns = (Sudoers.empty | Sudoers.comment | Sudoers.includedir
           | Sudoers.alias | defaults | Sudoers.spec)*
