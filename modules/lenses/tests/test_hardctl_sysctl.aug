module Test_Hardctl_Sysctl =

(* Debian 12's /etc/sysctl.conf opening, a Red Hat 9 package drop-in
   with the dash forms, a slash key and a CRLF line. *)
let conf = "#
# /etc/sysctl.conf - Configuration file for setting system variables
;net.ipv4.ip_forward=1

net.ipv4.conf.default.rp_filter = 2
net.ipv4.conf.*.rp_filter = 2
-net.ipv4.conf.all.rp_filter
-net.ipv4.conf.all.accept_redirects = 0
net/ipv4/tcp_syncookies=1 # on
kernel.domainname =
net.ipv4.conf.all.send_redirects = 0\r
"

test Hardctl_Sysctl.lns get conf =
  { }
  { "#comment" = "/etc/sysctl.conf - Configuration file for setting system variables" }
  { "#comment" = "net.ipv4.ip_forward=1" }
  { }
  { "net.ipv4.conf.default.rp_filter" = "2" }
  { "net.ipv4.conf.*.rp_filter" = "2" }
  { "-net.ipv4.conf.all.rp_filter" }
  { "-net.ipv4.conf.all.accept_redirects" = "0" }
  { "net/ipv4/tcp_syncookies" = "1"
    { "#comment" = "on" } }
  { "kernel.domainname" = ""
    { } }
  { "net.ipv4.conf.all.send_redirects" = "0" }

(* A key alone added, and a CRLF line written back with its CR. *)
test Hardctl_Sysctl.lns put "a = 1\r\n" after
  clear "-b" ;
  set "a" "0"
  = "a = 0\r\n-b\n"
