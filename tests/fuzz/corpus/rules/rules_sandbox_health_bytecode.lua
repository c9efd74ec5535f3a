-- a precompiled chunk (the header Lua 5.4 writes) must be refused
local f, err = load("\27LuaT\0\25\147\13\10\26\10\4\8\8")
assert(f == nil)
error("load: " .. err)
