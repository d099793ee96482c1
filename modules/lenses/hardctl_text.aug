(*
Module: Hardctl_Text
  Parses a free-text file such as /etc/issue, /etc/issue.net or /etc/motd
  as one node holding the whole text, byte for byte.

About: Why
  Banners have no syntax: hardctl compares and replaces them whole, and
  still goes through Augeas so that every file edit takes one path.

About: Tree
  An empty file has no node; any other text is the value of a single
  "text" node, final newline or not.
*)
module Hardctl_Text =

let lns = [ label "text" . store /(.|\n)+/ ]?
