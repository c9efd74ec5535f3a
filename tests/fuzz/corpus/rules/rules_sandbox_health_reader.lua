-- load with a reader function is refused too
local f, err = load(function() return nil end)
assert(f == nil)
error(err)
