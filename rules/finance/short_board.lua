-- 补短暖心 (粤财办〔2019〕1号 二(二)1): items where the province lags are
-- brought up first, "以基本公共服务项目的全国平均水平为参照": the yardstick
-- of each item is its national average (the national_average table, read
-- with r:national_average), and where the data holds no average for a
-- part of an item in the year, its national standard, which the note then
-- names. For every item with a unified standard (scripts/lib/funding.lua)
-- the province's funding relative to it is
--
--   ratio = provincial spending on the item's parts ÷ Σ (reference ×
--           provincial beneficiaries × periods)
--
-- over the parts that have a reference (funding.reference; the province's
-- own facts). An item lags when ratio < 1; its gap is 1 − ratio. The note
-- ranks the lagging items, largest gap first (ties in catalog order), and
-- names the items measured against the national standard for want of an
-- average, and the items measured on some parts only (a part with neither
-- average nor standard is left out of both the spending and the
-- reference, and named: "义务教育公用经费保障（edu.public_funds.junior 未计入）"); measured = the number of lagging items, and the finding fails
-- when it exceeds params.max_lagging (0). A beneficiary count or spending
-- that is negative or not finite ranks nothing: the finding is `missing`,
-- naming each such figure (an absent one stops the evaluation with
-- `missing`, as r:fact).
local facts = require "facts"
local funding = require "funding"

return {
  id = "finance.short_board",
  title = "补短暖心：全省人均（生均）投入低于全国平均水平的项目排序，差距大者优先",
  basis = "粤财办〔2019〕1号 二(二)1 以基本公共服务项目的全国平均水平为参照; "
    .. "达标率 = 全省项目支出 ÷ (全国平均水平 × 全省受益人数), 无全国平均水平的按国家标准; "
    .. "低于1为短板, 差距 = 1 − 达标率, 由大到小排序",
  kind = "indicator",
  level = "province",
  effective = { from = 2018 },
  params = { max_lagging = 0 },
  report = { goal = 2020 }, -- 一(三): 短板 closed by 2020
  evaluate = function(r)
    local lagging, met, unranked, fallback, partial = {}, 0, {}, {}, {}
    -- a negative or non-finite figure of any item: `missing`, naming all
    local gaps = facts.gaps()
    for i, e in ipairs(funding.items) do
      local ref = funding.reference(r, e, gaps)
      if not ref or ref.total <= 0 then
        unranked[#unranked + 1] = e.name
      else
        local national, all_national = {}, true
        for _, p in ipairs(ref.parts) do
          if p.basis == "national" then
            national[#national + 1] = p.key
          else
            all_national = false
          end
        end
        if #ref.left_out > 0 then
          partial[#partial + 1] = string.format("%s（%s 未计入）", e.name,
                                                table.concat(ref.left_out, "、"))
        end
        if all_national then
          fallback[#fallback + 1] = e.name
        elseif #national > 0 then
          fallback[#fallback + 1] = string.format("%s（%s）", e.name,
                                                  table.concat(national, "、"))
        end
        local ratio = ref.spend / ref.total
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
      parts[#parts + 1] = "低于参照水平（差距由大到小）：" .. table.concat(ranked, "；")
    end
    parts[#parts + 1] = string.format("%d 项达到参照水平", met)
    if #fallback > 0 then
      parts[#parts + 1] = "无全国平均水平、以国家标准为参照：" .. table.concat(fallback, "、")
    end
    if #partial > 0 then
      parts[#parts + 1] = "部分子项无全国平均水平和国家标准、仅按其余子项计（支出与参照同口径）："
        .. table.concat(partial, "、")
    end
    if #unranked > 0 then
      parts[#parts + 1] = "无全国平均水平和国家标准或无受益对象未排序：" .. table.concat(unranked, "、")
    end
    return indicator(#lagging, params.max_lagging, "<=", {
      unit = "项",
      note = table.concat(parts, "；"),
    })
  end,
}
