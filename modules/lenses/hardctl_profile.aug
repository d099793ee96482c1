(*
Module: Hardctl_Profile
  Parses hardctl's profiles: an INI-like file of sections, one
  [profile] section naming the profile and one section per rule,
  titled with the rule's id, holding that rule's parameters.

About: Example
  > # Hardening of a service console
  > [profile]
  > name = service-console
  > version = 1
  >
  > [root-access.sshd-permit-root-login]
  > severity = CAT I

About: Tree
  Each section is a node labelled with its title; each "key = value"
  line, a child node.  Comments start with "#" or ";", on their own line
  or after a value.  A value may be put in double quotes to keep a "#".
*)
module Hardctl_Profile =

let comment = IniFile.comment IniFile.comment_re "#"
let sep = IniFile.sep "=" "="

let entry = IniFile.indented_entry IniFile.entry_re sep comment

let title = IniFile.indented_title /[A-Za-z0-9][A-Za-z0-9._-]*/
let record = IniFile.record title entry

let lns = IniFile.lns record comment
