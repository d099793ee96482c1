module Test_Hardctl_Text =

(* An empty file parses to an empty tree and stays empty *)
test Hardctl_Text.lns put "" after rm "text" = ""

test Hardctl_Text.lns get "Debian GNU/Linux 12 \\n \\l\n\n" =
  { "text" = "Debian GNU/Linux 12 \\n \\l\n\n" }

(* No final newline *)
test Hardctl_Text.lns get "Authorized use only" =
  { "text" = "Authorized use only" }

(* Leading blank lines and tabs are kept *)
test Hardctl_Text.lns get "\n\tWARNING\n" = { "text" = "\n\tWARNING\n" }

test Hardctl_Text.lns put "old\n" after set "text" "new\n" = "new\n"

test Hardctl_Text.lns put "" after set "text" "created\n" = "created\n"

test Hardctl_Text.lns put "gone\n" after rm "text" = ""
