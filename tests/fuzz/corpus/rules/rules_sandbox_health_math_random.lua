local n = math.random(10)
