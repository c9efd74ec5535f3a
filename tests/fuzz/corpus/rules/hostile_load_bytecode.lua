-- Hostile rule: load bytecode.
-- expect: error: attempt to load a binary chunk
return {
  id = "hostile.load_bytecode",
  title = "hostile: load_bytecode",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local f, err = load(string.char(27) .. "LuaT\0\25\147\r\n\26\n") error(err)
  end,
}
