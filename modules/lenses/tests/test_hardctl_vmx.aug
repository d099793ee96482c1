module Test_Hardctl_Vmx =

(* The first lines of a virtual machine made by ESXi: a key with a
   colon, one with a dash, one starting with a dot. *)
let esxi = ".encoding = \"UTF-8\"
config.version = \"8\"
virtualHW.version = \"13\"
scsi0.virtualDev = \"pvscsi\"
scsi0:0.deviceType = \"scsi-hardDisk\"
scsi0:0.fileName = \"web01.vmdk\"
sched.scsi0:0.shares = \"normal\"
ethernet0.networkName = \"VM Network\"
migrate.hostLog = \"./web01-7d5c0a3b.hlog\"
uuid.bios = \"56 4d 9a 1c 8f 2b 36 7e-0c 42 91 5f 6d a3 b0 18\"
displayName = \"web |22prod|22 #1\"
tools.syncTime = \"\"
"

test Hardctl_Vmx.lns get esxi =
  { ".encoding" = "UTF-8" }
  { "config.version" = "8" }
  { "virtualHW.version" = "13" }
  { "scsi0.virtualDev" = "pvscsi" }
  { "scsi0:0.deviceType" = "scsi-hardDisk" }
  { "scsi0:0.fileName" = "web01.vmdk" }
  { "sched.scsi0:0.shares" = "normal" }
  { "ethernet0.networkName" = "VM Network" }
  { "migrate.hostLog" = "./web01-7d5c0a3b.hlog" }
  { "uuid.bios" = "56 4d 9a 1c 8f 2b 36 7e-0c 42 91 5f 6d a3 b0 18" }
  { "displayName" = "web |22prod|22 #1" }
  { "tools.syncTime" = "" }

(* An old file: the interpreter line, blank lines, and a comment after
   a value and indentation, as hand edits leave them. *)
test Hardctl_Vmx.lns get "#!/usr/bin/vmware\n\nmemsize = \"1024\"\nfloppy0.present = \"FALSE\"   # no floppy\n  log.keepOld=\"10\"\n" =
  { "#comment" = "!/usr/bin/vmware" }
  { }
  { "memsize" = "1024" }
  { "floppy0.present" = "FALSE" { "#comment" = "no floppy" } }
  { "log.keepOld" = "10" }

(* A value changed keeps the line's layout; a new one is written as VMware writes it. *)
test Hardctl_Vmx.lns put "floppy0.present=\"TRUE\"\nmemsize = \"1024\"\n" after
  set "floppy0.present" "FALSE";
  set "memsize" "2048";
  set "isolation.tools.copy.disable" "TRUE"
  = "floppy0.present=\"FALSE\"\nmemsize = \"2048\"\nisolation.tools.copy.disable = \"TRUE\"\n"

(* A key with a blank, a line with no "=", an unquoted value: not read. *)
test Hardctl_Vmx.lns get "floppy 0.present = \"TRUE\"\n" = *
test Hardctl_Vmx.lns get "floppy0.present \"TRUE\"\n" = *
test Hardctl_Vmx.lns get "memsize = 1024\n" = *
