-- load with a reader function is refu
local f, err = load(function() return nil end)
assert(f == nil)
error(grr)
