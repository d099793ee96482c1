(*
Module: Hardctl_Vmx
  Parses a virtual machine's configuration file, NAME.vmx.

About: Why
  Augeas's VMware_Config lens takes keys made of word characters only
  and stops at the first device key of a real virtual machine, such as
  "scsi0:0.present" (line 8 of a typical .vmx).  This lens reads the
  keys VMware writes: letters, digits, ".", ":", "_" and "-", with
  ".encoding" on the first line of recent files.

About: Syntax
  One setting per line, KEY = "VALUE"; VMware quotes every value, empty
  ones too, and escapes special characters inside it as |XX, so a value
  holds no double quote.  A value without quotes is not read (the file
  is reported, not rewritten).  A line
  whose first non-blank is "#" is a comment (old files start with
  "#!/usr/bin/vmware").

About: Tree
  Each setting is a node labelled with its key; its value is the text
  between the quotes:
  > scsi0:0.present = "TRUE"
  gives
  > { "scsi0:0.present" = "TRUE" }
  A value written now is quoted, as VMware writes it.
*)
module Hardctl_Vmx =

let key_re = /[A-Za-z0-9_.:-]+/
let eq = del /[ \t]*=[ \t]*/ " = "

(* VMware writes '"' and '|' inside a value as |22 and |7C; "" is common. *)
let value = Quote.do_dquote (store /[^"\n]*/)

let setting = [ Util.indent . key key_re . eq . value . Util.comment_or_eol ]

let lns = ( Util.comment | Util.empty | setting )*
