-- 补短暖心 (粤财办〔2019〕1号 二(二)1): items where the province lags the
-- national level are brought up first. For every item with a national
-- funding standard (scripts/lib/funding.lua), the province's funding
-- relative to it is
--
--   ratio = provincial spending on the item ÷ (national standard ×
--           provincial beneficiaries × periods)
--
-- (the province's own facts: in the sample, the sums of its cities). An
-- item lags when ratio < 1; its gap is 1 − ratio. The note ranks the
-- lagging items, largest gap first (ties in catalog order); measured = the
-- number of lagging items, and the finding fails when it exceeds
-- params.max_lagging (0). A beneficiary count or spending that is negative
-- or not finite ranks nothing: the finding is `missing`, naming each such
-- figure (an absent one stops the evaluation with `missing`, as r:fact).
local facts = require "facts"
local funding = require "funding"

return {
  id = "finance.short_board",
  title = "补短暖心：全省人均（生均）投入低于国家标准的项目排序，差距大者优先",
  basis = "粤财办〔2019〕1号 二(二)1; 达标率 = 全省项目支出 ÷ (国家标准 × 全省受益人数), "
    .. "低于1为短板, 差距 = 1 − 达标率, 由大到小排序",
  kind = "indicator",
  level = "province",
  effective = { from = 2018 },
  params = { max_lagging = 0 },
  evaluate = function(r)
    local lagging, met, unranked = {}, 0, {}
    -- a negative or non-finite figure of any item: `missing`, naming all
    local gaps = facts.gaps()
    for i, e in ipairs(funding.items) do
      local need = funding.required(r, e, "national", gaps)
      if not need or need.total <= 0 then
        unranked[#unranked + 1] = e.name
      else
        local ratio = funding.spend(r, e, gaps) / need.total
        if ratio < 1 then
          lagging[#lagging + 1] = { name = e.name, ratio = ratio,
                                    gap = 1 - ratio, order = i }
        else
          met = met + 1
        end
      end
    end
    if gaps:any() then
      return gaps:missing("数据不可用")
    end
    table.sort(lagging, function(a, b)
      if a.gap ~= b.gap then return a.gap > b.gap end
      return a.order < b.order
    end)

    local parts = {}
    if #lagging > 0 then
      local ranked = {}
      for k, x in ipairs(lagging) do
        ranked[#ranked + 1] = string.format("%d. %s 达标率 %.2f%%（差距 %.2f%%）",
                                            k, x.name, 100 * x.ratio, 100 * x.gap)
      end
      parts[#parts + 1] = "低于国家标准（差距由大到小）：" .. table.concat(ranked, "；")
    end
    parts[#parts + 1] = string.format("%d 项达到国家标准", met)
    if #unranked > 0 then
      parts[#parts + 1] = "无国家标准或无受益对象未排序：" .. table.concat(unranked, "、")
    end
    return indicator(#lagging, params.max_lagging, "<=", {
      unit = "项",
      note = table.concat(parts, "；"),
    })
  end,
}
