os.execute("touch /tmp/equirule-sandbox-escaped")
