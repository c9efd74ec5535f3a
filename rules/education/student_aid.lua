-- 学生资助: 中职国家助学金, 中职免学费补助 and 普高国家助学金 are paid per
-- student at a national standard (2000 元/生·年 each; the 中职 amounts are
-- marked 数值待核 in the standard's basis). For each, the amount paid per
-- recipient (spending ÷ recipients) must reach the binding standard. The
-- three rules are made by one function over the items.
local check = require "check"

local function rule(name, item, title, basis)
  return {
    id = "education." .. name,
    title = title,
    basis = basis .. "; 粤财办〔2019〕1号 二(一)",
    item = item,
    kind = "compliance",
    level = "city",
    effective = { from = 2018 },
    evaluate = function(r)
      -- 资助支出 ÷ 受助学生 ≥ 资助标准（元/生·年）
      return check.per_unit(r, {
        amount = item .. ".spend", per = item .. ".recipients",
        standard = item, unit = "元/生·年",
        note = "资助支出 %.0f 元 ÷ 受助学生 %.0f 人",
        no_standard = "本年度无资助标准",
        no_units = "无受助学生",
      })
    end,
  }
end

return {
  rule("vocational_grant_per_student", "aid.vocational_grant",
       "中职国家助学金生均资助额不低于标准",
       "国办发〔2018〕6号 中职国家助学金（2000元/生·年, 数值待核）"),
  rule("vocational_tuition_per_student", "aid.vocational_tuition",
       "中职免学费生均补助不低于标准",
       "国办发〔2018〕6号 中职免学费补助（2000元/生·年, 数值待核）"),
  rule("highschool_grant_per_student", "aid.highschool_grant",
       "普高国家助学金生均资助额不低于标准",
       "国办发〔2018〕6号 普高国家助学金（平均2000元/生·年）"),
}
