-- a test file: the loader must not read it as rules
return { { name = "not a rule", year = 2019 } }
