-- hidden: skipped
return 42
