-- Worked example 3 of docs/rule-authoring.md: a redistribution.
-- The year's cuts (finance.pension_cut_example, read through `needs` and
-- r:result) go to the params.recipients cities with the lowest basic public
-- service spending per resident, in proportion to their residents, to the
-- fen (money.apportion). A pool known to be incomplete is not allocated.
local money = require "money"
local peers = require "peers"

---@type equirule.Rule
return {
  id = "finance.cut_pool_example",
  title = "核减资金分配给人均基本公共服务支出最低的地市（示例）",
  basis = "粤财办〔2019〕1号 二(四)1",
  item = "pension.resident_basic",
  kind = "allocation",
  level = "province",
  effective = { from = 2019 },
  params = { recipients = 3 },
  needs = { "finance.pension_cut_example" },
  evaluate = function(r)
    local cities = r:children("city")
    local pool_fen, unknown = 0, {}
    for _, c in ipairs(cities) do
      local res = c:result("finance.pension_cut_example")
      if res and res.outcome == "cut" then
        pool_fen = pool_fen + money.to_fen(res.amount)
      elseif not res or res.outcome ~= "pass" then
        unknown[#unknown + 1] = c.name or c.code
      end
    end
    if #unknown > 0 then
      return missing("核减未能评估，资金池不完整，不予分配：" .. table.concat(unknown, "、"))
    end
    if pool_fen == 0 then
      return skip("本年度无核减资金")
    end
    -- every city ranked by its own level (missing, naming any without one)
    local all, gap = peers.totals(cities, "fin.basic_service.spend",
                                  "pop.resident", { each = true })
    if not all then
      return gap
    end
    local ranked = { table.unpack(all.regions) }
    table.sort(ranked, function(a, b)
      if a.value ~= b.value then return a.value < b.value end
      return a.code < b.code
    end)
    local weights = {}
    for i = 1, math.min(params.recipients, #ranked) do
      weights[ranked[i].code] = ranked[i].count
    end
    return distribute(money.apportion(pool_fen / 100, weights),
                      string.format("核减资金 %.2f 元按常住人口分配", pool_fen / 100))
  end,
}
