local chunk = loadfile("/etc/passwd")
