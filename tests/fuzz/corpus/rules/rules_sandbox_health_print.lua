print("hello from a rule")
