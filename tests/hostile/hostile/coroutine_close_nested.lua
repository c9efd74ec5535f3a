-- Hostile rule: coroutine close nested.
-- expect: error: unknown global 'coroutine' (the sandbox leaves it out: rules cannot use it)
return {
  id = "hostile.coroutine_close_nested",
  title = "hostile: coroutine_close_nested",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local co = coroutine.wrap(function() end) return pass()
  end,
}
