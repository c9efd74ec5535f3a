-- The cut pool (粤财办〔2019〕1号 二(四)1) goes to the less developed cities
-- with the lowest guarantee level. Measure of the level: basic public
-- service spending per resident. The pool is the sum of the year's
-- finance.subsidy_cut amounts (every item); it is split between the
-- params.recipients cities with the lowest level (ties: lower code first)
-- in proportion to their resident population:
--
--   allocation(city) = pool × residents(city) ÷ Σ residents(recipients)
--
-- in whole fen by the largest-remainder method (money.apportion), so the
-- allocations add up to the pool exactly.
local money = require "money"

return {
  id = "finance.cut_redistribution",
  title = "核减资金按常住人口分配给人均基本公共服务支出最低的地市",
  basis = "粤财办〔2019〕1号 二(四)1; 分配办法（示例）: 分配额 = 核减资金池 × 该市常住人口 "
    .. "÷ 入选各市常住人口之和, 入选 = 人均基本公共服务支出最低的 recipients 个市; "
    .. "按分取整(最大余数法), 合计等于资金池",
  kind = "allocation",
  level = "province",
  effective = { from = 2019 },
  params = { recipients = 3 },
  needs = { "finance.subsidy_cut" },
  evaluate = function(r)
    local cities = r:children("city")

    -- The pool is summed in whole fen, as the cuts were recorded.
    local pool_fen, sources, unknown = 0, {}, {}
    for _, c in ipairs(cities) do
      local res = c:result("finance.subsidy_cut")
      if res and res.outcome == "cut" and (res.amount or 0) > 0 then
        pool_fen = pool_fen + money.to_fen(res.amount)
        sources[#sources + 1] = string.format("%s %.2f 元",
                                              c.name or c.code, res.amount)
      elseif res and (res.outcome == "missing" or res.outcome == "error") then
        unknown[#unknown + 1] = c.name or c.code
      end
    end
    local unknown_note = ""
    if #unknown > 0 then
      unknown_note = "；核减结果缺失未计入：" .. table.concat(unknown, "、")
    end
    local pool = pool_fen / 100
    if pool_fen <= 0 then
      return skip("本年度无核减资金" .. unknown_note)
    end

    local ranked = {}
    for _, c in ipairs(cities) do
      local pop = c:fact("pop.resident")
      if pop > 0 then
        ranked[#ranked + 1] = {
          code = c.code, name = c.name or c.code, pop = pop,
          level = c:fact("fin.basic_service.spend") / pop,
        }
      end
    end
    table.sort(ranked, function(a, b)
      if a.level ~= b.level then return a.level < b.level end
      return a.code < b.code
    end)
    local n = math.min(math.floor(params.recipients), #ranked)
    if n < 1 then
      return fail(string.format("核减资金 %.2f 元无可分配的地市", pool))
    end

    local weights, chosen = {}, {}
    for i = 1, n do
      local c = ranked[i]
      weights[c.code] = c.pop
      chosen[#chosen + 1] = string.format("%s（人均 %.2f 元，常住 %.0f 人）",
                                          c.name, c.level, c.pop)
    end
    return distribute(money.apportion(pool, weights), string.format(
      "核减资金 %.2f 元（%s）分配给：%s%s", pool,
      table.concat(sources, "、"), table.concat(chosen, "、"), unknown_note))
  end,
}
