<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- Fields, aliases and map tips of a Result's proposals layer (SCHEMA.md "Result").
     The verdict colours are not here: style.py builds them from chuannan_gis/verdicts.py. -->
<qgis version="3.22.16-Białowieża" styleCategories="Fields|Forms|MapTips">
  <aliases>
    <alias field="name" index="-1" name="名称 name"/>
    <alias field="kind" index="-1" name="类型 kind"/>
    <alias field="industry" index="-1" name="行业 industry"/>
    <alias field="status" index="-1" name="状态 status"/>
    <alias field="proposal_id" index="-1" name="编号 proposal_id"/>
    <alias field="verdict" index="-1" name="结论 verdict"/>
    <alias field="verdict_zh" index="-1" name="结论 verdict (中文)"/>
    <alias field="county" index="-1" name="区县 county"/>
    <alias field="city" index="-1" name="市 city"/>
    <alias field="district" index="-1" name="都市区 district"/>
    <alias field="rule_ids" index="-1" name="规则 rules"/>
    <alias field="summary_zh" index="-1" name="理由 reasons (中文)"/>
    <alias field="summary_en" index="-1" name="理由 reasons (English)"/>
    <alias field="citations" index="-1" name="依据 citations"/>
    <alias field="indicative" index="-1" name="含示意数据 indicative data"/>
  </aliases>
  <previewExpression>"name"</previewExpression>
  <mapTip><![CDATA[<b>[% "name" %]</b> — <b>[% "verdict_zh" %] [% "verdict" %]</b><br/>
[% "county" %] [% "city" %]<br/>
[% "summary_zh" %]<br/>
<span style="color:#555">[% "summary_en" %]</span><br/>
<i>依据 citations: [% "citations" %]</i>
[% CASE WHEN "indicative" THEN '<br/><i>含示意数据 rests on indicative data</i>' ELSE '' END %]]]></mapTip>
</qgis>
