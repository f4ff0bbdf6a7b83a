<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>@default</name>
    <message>
        <location filename="../plugin.py" line="83"/>
        <source>Constraint set…</source>
        <translation>约束图层集…</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="64"/>
        <source>Choose the constraint layers that Check proposals, Screen region and click-to-check all use</source>
        <translation>选择“审查拟建项目”“筛查栅格”和即点即查共同使用的约束图层</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="75"/>
        <source>The constraint set now used: {0}. Choose a GeoPackage of official layers (Yes), or use the bundled set (No)?</source>
        <translation>当前使用的约束图层集：{0}。选择官方图层 GeoPackage（是），还是使用内置图层集（否）？</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="75"/>
        <source>the bundled set</source>
        <translation>内置图层集</translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="80"/>
        <source>Click to check</source>
        <translation>即点即查</translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="145"/>
        <source>Click-check</source>
        <translation>即点即查</translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="285"/>
        <source>Certainty</source>
        <translation>确定性</translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="86"/>
        <source>Click a point</source>
        <translation>点选位置</translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="87"/>
        <source>Draw a polygon (right click to finish)</source>
        <translation>绘制多边形（右键结束）</translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="89"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="89"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="89"/>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="89"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="93"/>
        <source>Keep as feature</source>
        <translation>保存为要素</translation>
    </message>
    <message>
        <location filename="../core.py" line="192"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../core.py" line="210"/>
        <source>Verdict colours</source>
        <translation>结论配色</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="59"/>
        <source>Click a point or draw a polygon on the map to check it</source>
        <translation>在地图上点选位置或绘制多边形，立即审查</translation>
    </message>
    <message>
        <location filename="../processing/provider.py" line="28"/>
        <source>Chuannan compliance</source>
        <translation>川南合规</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="134"/>
        <source>Install dependencies</source>
        <translation>安装依赖</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="145"/>
        <source>Installing Python libraries for Chuannan compliance</source>
        <translation>正在为川南合规安装 Python 库</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="168"/>
        <source>Libraries installed. Restart QGIS to use them.</source>
        <translation>依赖库已安装，请重启 QGIS 后使用。</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="172"/>
        <source>Installing the libraries failed: {detail}</source>
        <translation>依赖库安装失败：{detail}</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="44"/>
        <source>Check proposals</source>
        <translation>审查拟建项目</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="47"/>
        <source>Checks proposed industrial parks, ports, enterprises and projects against the constraint layers with the rule catalog, exactly as the chuannan-gis command line does. Map the name, kind, industry and status fields if they are named differently; Chinese values such as 园区 or 化工 are accepted. The result layer is coloured by verdict and carries the reasons and citations. A verdict is a screening, not a permit.</source>
        <translation>按规则目录将拟建产业园区、港口、企业和项目与约束图层逐一比对，结论与 chuannan-gis 命令行完全一致。字段名不同时请指定名称、类型、行业和状态字段；可直接使用“园区”“化工”等中文值。结果图层按结论着色，并附理由与依据。结论仅为初筛，不构成许可。</translation>
    </message>
    <message>
        <location filename="../processing/print_map.py" line="107"/>
        <source>Proposals</source>
        <translation>拟建项目</translation>
    </message>
    <message>
        <location filename="../processing/export_landcoord.py" line="40"/>
        <source>Name field</source>
        <translation>名称字段</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="58"/>
        <source>Kind field (kind)</source>
        <translation>类型字段 (kind)</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="59"/>
        <source>Industry field (industry)</source>
        <translation>行业字段 (industry)</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="60"/>
        <source>Status field (status)</source>
        <translation>状态字段 (status)</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="63"/>
        <source>Custom rules file</source>
        <translation>自定义规则文件</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="75"/>
        <source>Constraint layers GeoPackage (adds to / replaces the bundled ones)</source>
        <translation>约束图层 GeoPackage（补充或替换内置图层）</translation>
    </message>
    <message>
        <location filename="../processing/print_map.py" line="67"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="78"/>
        <source>Result</source>
        <translation>审查结果</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="82"/>
        <source>HTML report</source>
        <translation>HTML 报告</translation>
    </message>
    <message>
        <location filename="../processing/export_webmap.py" line="44"/>
        <source>HTML files (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="99"/>
        <source>Checking {count} proposals</source>
        <translation>正在审查 {count} 个拟建项目</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="133"/>
        <source>Compliance result</source>
        <translation>合规审查结果</translation>
    </message>
    <message>
        <location filename="../processing/load_constraints.py" line="26"/>
        <source>Load constraint layers into the project</source>
        <translation>加载约束图层到项目</translation>
    </message>
    <message>
        <location filename="../processing/load_constraints.py" line="29"/>
        <source>Adds the constraint layers the check uses (the bundled set, overlaid with your GeoPackage if given) to the project in one group, styled, below the compliance results; run again, it refreshes that group in place. Layers that rest on indicative (示意) data are marked so in the layer tree.</source>
        <translation>将审查所用的约束图层（内置图层，若提供则叠加您的 GeoPackage）按样式成组加入项目，位于审查结果之下；再次运行时就地刷新该组。基于示意数据的图层会在图层树中标注“示意”。</translation>
    </message>
    <message>
        <location filename="../processing/load_constraints.py" line="39"/>
        <source>Constraint layers</source>
        <translation>约束图层</translation>
    </message>
    <message>
        <location filename="../layer_order.py" line="70"/>
        <source>Chuannan constraints</source>
        <translation>川南约束图层</translation>
    </message>
    <message>
        <location filename="../processing/load_constraints.py" line="71"/>
        <source>Source: {source}; licence: {licence}; date: {date}; method: {method}; accuracy: {accuracy} m</source>
        <translation>来源：{source}；许可：{licence}；日期：{date}；方法：{method}；精度：{accuracy} 米</translation>
    </message>
    <message>
        <location filename="../processing/provider.py" line="31"/>
        <source>Chuannan compliance: South Sichuan siting screening</source>
        <translation>川南合规：川南经济区选址合规初筛</translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="302"/>
        <source>Rests on indicative (示意) data: verify with the official layers.</source>
        <translation>基于示意数据，须以官方图层核实。</translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="304"/>
        <source>A screening result, not a permit.</source>
        <translation>仅为初筛结果，不构成许可。</translation>
    </message>
    <message>
        <location filename="../processing/export_webmap.py" line="25"/>
        <source>Export web map</source>
        <translation>导出网页地图</translation>
    </message>
    <message>
        <location filename="../processing/export_webmap.py" line="28"/>
        <source>Writes a result of “Check proposals” as one HTML web map with the constraint layers and each proposal's verdict and reasons. Scripts are inlined, so the file opens without internet, e.g. on a government intranet.</source>
        <translation>将“审查拟建项目”的结果导出为单个 HTML 网页地图，包含约束图层及各项目的结论与理由。脚本已内嵌，无需联网即可打开（如政务内网）。</translation>
    </message>
    <message>
        <location filename="../processing/export_webmap.py" line="36"/>
        <source>Result layer (written by Check proposals)</source>
        <translation>审查结果图层（由“审查拟建项目”生成）</translation>
    </message>
    <message>
        <location filename="../processing/export_webmap.py" line="41"/>
        <source>Basemap</source>
        <translation>底图</translation>
    </message>
    <message>
        <location filename="../processing/export_webmap.py" line="44"/>
        <source>Web map</source>
        <translation>网页地图</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="47"/>
        <source>Screen region</source>
        <translation>筛查栅格</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="50"/>
        <source>Where could a proposal of this kind and industry go? Writes a raster (GeoTIFF, EPSG:4544) whose every cell holds the verdict that “Check proposals” would give a point proposal at its centre, from the same rule catalog and constraint layers, coloured by verdict, and a table of the area of each verdict per county. Choose a county or an extent, or neither for the whole region. Cells within one cell diagonal of a threshold may differ from the check: for a decision at a site, check the site itself. A verdict is a screening, not a permit.</source>
        <translation>此类型和行业的拟建项目可以布局在哪里？输出一个栅格（GeoTIFF，EPSG:4544），每个像元为“审查拟建项目”对其中心点处的点状拟建项目给出的结论，使用同一规则库和约束图层，按结论着色；另输出各县区各结论的面积统计表。可选择一个县区或一个范围，均不选则为整个经济区。距阈值不足一个像元对角线的像元可能与审查结果不同：对具体选址作决定时，请审查该选址本身。结论为初步筛查，不是许可。</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="59"/>
        <source>Kind (kind)</source>
        <translation>类型 (kind)</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="59"/>
        <source>Industry (industry)</source>
        <translation>行业 (industry)</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="60"/>
        <source>Status (status)</source>
        <translation>状态 (status)</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="72"/>
        <source>Resolution (m)</source>
        <translation>分辨率（米）</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="79"/>
        <source>County (cells outside it are nodata)</source>
        <translation>县区（县区外像元为无数据）</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="82"/>
        <source>Extent (instead of a county; neither: the whole region)</source>
        <translation>范围（代替县区；均不选：整个经济区）</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="87"/>
        <source>Screening raster</source>
        <translation>筛查栅格</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="89"/>
        <source>Area table (km² per verdict and county)</source>
        <translation>面积统计表（各县区各结论的平方千米数）</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="89"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="96"/>
        <source>Give a county or an extent, not both.</source>
        <translation>请选择县区或范围，不要同时选择。</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="109"/>
        <source>The screening raster is a GeoTIFF: name it *.tif</source>
        <translation>筛查栅格为 GeoTIFF：请以 *.tif 命名</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="110"/>
        <source>Screening {kind} / {industry} / {status} at {resolution:g} m</source>
        <translation>正在筛查 {kind} / {industry} / {status}，分辨率 {resolution:g} 米</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="51"/>
        <source>No such choice for {parameter}: {value}</source>
        <translation>{parameter} 没有该选项：{value}</translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="182"/>
        <source>A check is running in the background; click again when it has finished.</source>
        <translation>后台正在运行审查，请在其完成后再点选。</translation>
    </message>
    <message>
        <location filename="../core.py" line="43"/>
        <source>Chuannan compliance needs Python libraries that this QGIS does not have: {missing}. Click “Install dependencies” in the message bar: it installs them into your QGIS profile, needs internet and no administrator rights; restart QGIS afterwards.</source>
        <translation>川南合规需要此 QGIS 缺少的 Python 库：{missing}。点击消息栏中的“安装依赖”：安装到您的 QGIS 配置目录，需要联网，无需管理员权限；完成后请重启 QGIS。</translation>
    </message>
    <message>
        <location filename="../core.py" line="48"/>
        <source>Or open the OSGeo4W Shell from the Start menu (as administrator for an all-users install) and run: {command}</source>
        <translation>或从开始菜单打开 OSGeo4W Shell（为所有用户安装时请以管理员身份运行）并执行：{command}</translation>
    </message>
    <message>
        <location filename="../core.py" line="51"/>
        <source>Or run in Terminal, with the Python inside the QGIS application: {command}</source>
        <translation>或在“终端”中用 QGIS 应用自带的 Python 执行：{command}</translation>
    </message>
    <message>
        <location filename="../core.py" line="53"/>
        <source>Or run in a terminal, with the Python QGIS runs (on Debian and Ubuntu it refuses plain pip and pip --user, hence --break-system-packages, which installs into your home folder only): {command}</source>
        <translation>或在终端中用 QGIS 所用的 Python 执行（Debian 与 Ubuntu 拒绝直接的 pip 和 pip --user，故加 --break-system-packages，只安装到您的主目录）：{command}</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="159"/>
        <source>chuannan_gis itself is missing: install the plugin again from its zip (dist/chuannan_qgis.zip).</source>
        <translation>缺少 chuannan_gis 本身：请从插件 zip（dist/chuannan_qgis.zip）重新安装插件。</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="63"/>
        <source>Rule catalog (*.yaml *.yml)</source>
        <translation>规则目录 (*.yaml *.yml)</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="63"/>
        <source>A rule catalog in YAML, replacing the bundled one (as --rules on the command line). Leave empty to use the bundled rules.</source>
        <translation>YAML 格式的规则目录，替换内置规则（同命令行 --rules）。留空则使用内置规则。</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="75"/>
        <source>A GeoPackage whose layers, named as the bundled ones (eco_redlines, water, ports …), replace them or add to them, e.g. official data (as --layers on the command line). It becomes the plugin's constraint set, which click-to-check uses too; empty: the plugin's constraint set (menu Chuannan compliance › Constraint set…).</source>
        <translation>GeoPackage，其中与内置图层同名的图层（eco_redlines、water、ports …）替换或补充内置图层，例如官方数据（同命令行 --layers）。它将成为插件的约束图层集，即点即查也使用它；留空：使用插件的约束图层集（菜单 川南合规 › 约束图层集…）。</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="55"/>
        <source>The proposed parks, ports, enterprises or projects: points or polygons, any CRS (lon/lat in CGCS2000 or WGS84, or projected), e.g. examples/proposals.gpkg.</source>
        <translation>拟建园区、港口、企业或项目：点或多边形，任意坐标系（CGCS2000 或 WGS84 经纬度，或投影坐标），例如 examples/proposals.gpkg。</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="61"/>
        <source>The field with each proposal&apos;s name (default: name).</source>
        <translation>各拟建项目名称所在字段（默认 name）。</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="62"/>
        <source>The field saying what is proposed: industrial_park, port, enterprise, project, or in Chinese 园区, 港口, 码头, 企业, 项目 (default: kind).</source>
        <translation>项目类型所在字段：industrial_park、port、enterprise、project，或中文 园区、港口、码头、企业、项目（默认 kind）。</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="64"/>
        <source>The field with the industry: e.g. chemical, heavy_chemical, general_cargo_port, or 化工, 电子, 通用码头 (default: industry).</source>
        <translation>行业所在字段：如 chemical、heavy_chemical、general_cargo_port，或 化工、电子、通用码头（默认 industry）。</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="66"/>
        <source>The field saying new, expansion or existing (新建, 扩建, 现有); optional, new when absent (default: status).</source>
        <translation>建设状态所在字段：新建、扩建、现有；可选，缺省为新建（默认 status）。</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="78"/>
        <source>The Result GeoPackage: the proposals with verdict, reasons and citations, and the findings and not_checked tables.</source>
        <translation>审查结果 GeoPackage：各拟建项目及其结论、理由与依据，以及 findings 和 not_checked 表。</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="82"/>
        <source>Optionally, the report of the check as one HTML page, as the command line writes it.</source>
        <translation>可选：与命令行相同的单页 HTML 审查报告。</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="142"/>
        <source>Findings</source>
        <translation>审查发现</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="142"/>
        <source>Not checked</source>
        <translation>未检查</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="191"/>
        <source>Findings of the proposal</source>
        <translation>该项目的审查发现</translation>
    </message>
    <message>
        <location filename="../processing/export_webmap.py" line="36"/>
        <source>The proposals layer of a Result GeoPackage written by Check proposals.</source>
        <translation>由“审查拟建项目”生成的结果 GeoPackage 中的 proposals 图层。</translation>
    </message>
    <message>
        <location filename="../processing/export_webmap.py" line="41"/>
        <source>The map under the layers. The first, the default, needs no internet: counties, rivers and county names drawn from the constraint layers. The others are online tiles.</source>
        <translation>图层下方的底图。第一项（默认）无需联网：由约束图层的县界、河流和县名绘制；其余为在线瓦片。</translation>
    </message>
    <message>
        <location filename="../processing/export_webmap.py" line="44"/>
        <source>One HTML file that opens in any browser, offline.</source>
        <translation>单个 HTML 文件，可在任意浏览器中离线打开。</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="67"/>
        <source>The {field} of the proposal the surface answers for, from the vocabulary (as --{field} on the command line).</source>
        <translation>栅格所针对的拟建项目的 {field}，取自词表（同命令行 --{field}）。</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="72"/>
        <source>Cell size in metres (EPSG:4544). 100 m screens a county in seconds; 30 m, the command line&apos;s default, takes about ten times as long.</source>
        <translation>像元大小（米，EPSG:4544）。100 米时一个县区数秒即可完成；命令行默认的 30 米约需十倍时间。</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="79"/>
        <source>Screen one county only. Give a county or an extent, not both.</source>
        <translation>只筛查一个县区。县区与范围二选一。</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="82"/>
        <source>Screen this box only (any CRS; it is reprojected to CGCS2000 lon/lat).</source>
        <translation>只筛查此范围（任意坐标系，将转换为 CGCS2000 经纬度）。</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="87"/>
        <source>A GeoTIFF (*.tif): band 1 the verdict of each cell, band 2 the rule that decided it.</source>
        <translation>GeoTIFF（*.tif）：波段 1 为各像元的结论，波段 2 为决定该结论的规则。</translation>
    </message>
    <message>
        <location filename="../processing/screen_region.py" line="89"/>
        <source>Optionally, a CSV of the area of each verdict in each county, in km².</source>
        <translation>可选：各县区各结论面积（平方千米）的 CSV 表。</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="78"/>
        <source>Import official layers</source>
        <translation>导入官方图层</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="84"/>
        <source>Imports a bureau's layer loaded in QGIS (a 三调 DLTB, a 三区三线 red line, farmland or urban boundary, a shoreline plan …; any provider: shapefile, GeoPackage, File Geodatabase, PostGIS, a memory layer) with a template into a constraint GeoPackage, as “chuannan-gis layers import --template” does: fields and Chinese values mapped, invalid polygons repaired, reprojected to EPSG:4490, validated. Importing into an existing GeoPackage replaces the layer of the same name and keeps the others. Give the coverage (the counties or cities the bureau's data cover): outside it the bundled layer stays; every template but dltb needs it. By default the GeoPackage becomes the plugin's constraint set, so Check proposals, Screen region and click-to-check use it.</source>
        <translation>按模板将 QGIS 中已加载的主管部门图层（三调地类图斑 DLTB、三区三线的生态保护红线、永久基本农田或城镇开发边界、岸线功能区规划等；任意数据源：shapefile、GeoPackage、File Geodatabase、PostGIS、内存图层）导入约束图层 GeoPackage，与“chuannan-gis layers import --template”相同：映射字段与中文值，修复无效多边形，转换为 EPSG:4490，并校验。导入到已有的 GeoPackage 时，替换同名图层，保留其他图层。请填写覆盖范围（主管部门数据覆盖的县区或市）：范围外仍使用内置图层；除 dltb 外的模板均须填写。默认该 GeoPackage 成为插件的约束图层集，审查拟建项目、筛查栅格和即点即查均使用它。</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="93"/>
        <source>Templates and the fields they look for</source>
        <translation>模板及其识别的字段</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="100"/>
        <source>Official layer</source>
        <translation>官方图层</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="100"/>
        <source>The bureau's layer as loaded in QGIS, of any provider, in its own CRS (declared: set it in the layer's properties if it has none). Tick “Selected features only” to import a selection.</source>
        <translation>QGIS 中已加载的主管部门图层，任意数据源，使用其自身坐标系（须已声明：若没有，请在图层属性中设置）。勾选“仅选中要素”可只导入选中的要素。</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="105"/>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="105"/>
        <source>Which delivered format the layer is, and so which constraint layer it becomes (as --template on the command line). The algorithm&apos;s help lists each template&apos;s fields.</source>
        <translation>图层的交付格式，决定其成为哪个约束图层（同命令行 --template）。算法帮助列出各模板的字段。</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="111"/>
        <source>Coverage (counties or cities)</source>
        <translation>覆盖范围（县区或市）</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="111"/>
        <source>What the bureau's layer covers: county or city names or adcodes, separated by commas (江安县, 江安县,翠屏区, 宜宾市, 511523), region for all 28 counties, or a polygon file. Required for every template but dltb (red lines and the other sparse layers: an absent feature means “none here” only where the data cover).</source>
        <translation>主管部门图层覆盖的范围：县区或市的名称或行政区划代码，以逗号分隔（江安县、江安县,翠屏区、宜宾市、511523），region 表示全部 28 个县区，或一个多边形文件。除 dltb 外的模板均须填写（生态保护红线等稀疏图层：没有要素只在数据覆盖的范围内表示“此处没有”）。</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="116"/>
        <source>Field mappings</source>
        <translation>字段映射</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="116"/>
        <source>Source fields the template's aliases miss, as schema_field=SOURCE_FIELD, several separated by ; or one per line, e.g. name_zh=红线名 (as --field on the command line).</source>
        <translation>模板别名未能识别的源字段，格式为 schema_field=SOURCE_FIELD，多个以 ; 分隔或每行一个，例如 name_zh=红线名（同命令行 --field）。</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="119"/>
        <source>Value mappings</source>
        <translation>值映射</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="119"/>
        <source>Source values the template does not know, as FIELD:SOURCE_VALUE=CODE, several separated by ; or one per line, e.g. zone:保护岸段=protection (as --value on the command line).</source>
        <translation>模板不认识的源字段值，格式为 FIELD:SOURCE_VALUE=CODE，多个以 ; 分隔或每行一个，例如 zone:保护岸段=protection（同命令行 --value）。</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="122"/>
        <source>Data status</source>
        <translation>数据状态</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="122"/>
        <source>official for the bureau&apos;s own data (the default); indicative for a digitised or approximate copy.</source>
        <translation>主管部门自有数据选 official 官方（默认）；数字化或近似的副本选 indicative 示意。</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="126"/>
        <source>Date of the data</source>
        <translation>数据日期</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="126"/>
        <source>The date the data state, e.g. 2023-10 (stored with every feature and in the layer&apos;s metadata).</source>
        <translation>数据所注明的日期，例如 2023-10（写入每个要素及图层元数据）。</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="128"/>
        <source>Accuracy (m)</source>
        <translation>精度（米）</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="128"/>
        <source>The positional accuracy the bureau states, in metres. Empty: from the scale, else “not stated” (the import warns).</source>
        <translation>主管部门注明的平面位置精度（米）。留空：按比例尺推算，否则为“未注明”（导入时给出警告）。</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="132"/>
        <source>Scale</source>
        <translation>比例尺</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="132"/>
        <source>The source&apos;s scale, e.g. 1:10000, when no accuracy is stated: 0.5 mm on the map, so 1:10000 gives 5 m.</source>
        <translation>未注明精度时数据的比例尺，例如 1:10000：按图上 0.5 毫米计，1:10000 即 5 米。</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="135"/>
        <source>Constraint GeoPackage</source>
        <translation>约束图层 GeoPackage</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="135"/>
        <source>The GeoPackage to write (EPSG:4490). An existing one keeps its other layers; the layer of the same name is replaced. It is written to a temporary file and validated before it replaces anything.</source>
        <translation>要写入的 GeoPackage（EPSG:4490）。已有文件保留其他图层，替换同名图层。先写入临时文件并校验，通过后才替换。</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="140"/>
        <source>Use as the constraint set</source>
        <translation>用作约束图层集</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="140"/>
        <source>Make the GeoPackage the plugin's constraint set (menu Chuannan compliance › Constraint set…), which Check proposals, Screen region, Load constraint layers and click-to-check use.</source>
        <translation>将该 GeoPackage 设为插件的约束图层集（菜单 川南合规 › 约束图层集…），审查拟建项目、筛查栅格、加载约束图层和即点即查均使用它。</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="144"/>
        <source>Constraint layer written</source>
        <translation>写入的约束图层</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="262"/>
        <source>coverage required</source>
        <translation>须填写覆盖范围</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="262"/>
        <source>coverage from its XZQ (行政区) layer or the counties its patches cover, or given</source>
        <translation>覆盖范围取自其行政区（XZQ）图层或图斑覆盖的县区，或直接填写</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="265"/>
        <source>required</source>
        <translation>必需</translation>
    </message>
    <message>
        <location filename="../canvas_legend.py" line="33"/>
        <source>{tag}: indicative data. A screening, not a permit or an official map.</source>
        <translation>{tag}：数据为示意；结论为筛查，非审批依据，非正式地图。</translation>
    </message>
    <message>
        <location filename="../canvas_legend.py" line="34"/>
        <source>Verdict</source>
        <translation>审查结论</translation>
    </message>
    <message>
        <location filename="../layer_order.py" line="53"/>
        <source>Compliance results</source>
        <translation>审查结果</translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="263"/>
        <source>The constraints of this tool do not reach this place.</source>
        <translation>本工具的约束图层未覆盖该位置。</translation>
    </message>
    <message>
        <location filename="../processing/import_official.py" line="217"/>
        <source>Template {template} needs “{coverage}”: in a sparse layer a place with no feature means “none here” only where the bureau's data cover; without that area the import would remove the bundled features everywhere else. Give the counties or cities it covers (e.g. 江安县,翠屏区 or 宜宾市), region, or a polygon file. Nothing was written.</source>
        <translation>模板 {template} 需要“{coverage}”：稀疏图层中没有要素的地方仅在该局数据覆盖的范围内才表示“此处没有”；不给出覆盖范围，导入会删除其他各处的内置要素。请给出其覆盖的县区或市（如 江安县,翠屏区 或 宜宾市）、region 或一个面文件。未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="153"/>
        <source>This QGIS&apos;s own {libraries} is older than Chuannan compliance needs. A newer copy in the profile would shadow QGIS&apos;s own and can break QGIS, so nothing was installed: update QGIS, or that library of the Python QGIS runs.</source>
        <translation>此 QGIS 自带的 {libraries} 版本低于川南合规所需。在配置文件夹中安装新版会遮蔽 QGIS 自带的版本，可能使 QGIS 出错，因此未安装任何内容：请升级 QGIS，或升级 QGIS 所用 Python 中的该库。</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="119"/>
        <source>Waiting for “{job}” to finish; this run starts by itself then.</source>
        <translation>正在等待“{job}”完成；完成后本次运行自动开始。</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="119"/>
        <source>another run</source>
        <translation>另一项运行</translation>
    </message>
    <message>
        <location filename="../processing/load_proposals.py" line="56"/>
        <source>Constants</source>
        <translation>常量</translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="73"/>
        <source>Fields every proposal lacks, e.g. kind=industrial_park;industry=chemical (as --constant on the command line).</source>
        <translation>每个拟建项目缺少的字段，例如 kind=industrial_park;industry=chemical（同命令行的 --constant）。</translation>
    </message>
    <message>
        <location filename="../processing/load_proposals.py" line="35"/>
        <source>Load proposals from a file</source>
        <translation>从文件读取拟建项目</translation>
    </message>
    <message>
        <location filename="../processing/load_proposals.py" line="38"/>
        <source>Reads proposals from a 用地坐标 TXT (报盘格式), an Excel list or 界址点成果表, a CSV with 经度/纬度 in decimal or 度分秒, a CAD drawing (DXF: closed polylines), a KML/KMZ or any GIS file, exactly as the chuannan-gis command line reads them, and writes them as a GeoPackage layer for the Check proposals algorithm.</source>
        <translation>读取用地坐标 TXT（报盘格式）、Excel 清单或界址点成果表、经度/纬度为十进制或度分秒的 CSV、CAD 图纸（DXF：闭合多段线）、KML/KMZ 或任何 GIS 文件（与 chuannan-gis 命令行读法相同），写成 GeoPackage 图层，供“审查拟建项目”使用。</translation>
    </message>
    <message>
        <location filename="../processing/load_proposals.py" line="44"/>
        <source>Proposals file</source>
        <translation>拟建项目文件</translation>
    </message>
    <message>
        <location filename="../processing/load_proposals.py" line="44"/>
        <source>用地坐标 .txt, .xlsx, .csv, .dxf, .kml/.kmz, .gpkg, .shp … (docs/inputs.md).</source>
        <translation>用地坐标 .txt、.xlsx、.csv、.dxf、.kml/.kmz、.gpkg、.shp …（见 docs/inputs.md）。</translation>
    </message>
    <message>
        <location filename="../processing/load_proposals.py" line="46"/>
        <source>Layer, sheet, CAD layer or KML folder</source>
        <translation>图层、工作表、CAD 图层或 KML 文件夹</translation>
    </message>
    <message>
        <location filename="../processing/load_proposals.py" line="46"/>
        <source>Empty: the file&apos;s first layer or sheet, every CAD layer, every KML folder.</source>
        <translation>留空：文件的第一个图层或工作表、所有 CAD 图层、所有 KML 文件夹。</translation>
    </message>
    <message>
        <location filename="../processing/load_proposals.py" line="49"/>
        <source>CRS of the file</source>
        <translation>文件的坐标系</translation>
    </message>
    <message>
        <location filename="../processing/load_proposals.py" line="49"/>
        <source>Required for a DXF drawing, and for X/Y columns without the zone prefix; overrides a wrong CRS.</source>
        <translation>DXF 图纸及不带带号的 X/Y 坐标必填；也可纠正错误的坐标系。</translation>
    </message>
    <message>
        <location filename="../processing/load_proposals.py" line="52"/>
        <source>Datum of web-map coordinates</source>
        <translation>网络地图坐标基准</translation>
    </message>
    <message>
        <location filename="../processing/load_proposals.py" line="52"/>
        <source>Lon/lat copied from 高德, 腾讯 or 奥维 maps are GCJ-02, from 百度 maps BD-09.</source>
        <translation>从高德、腾讯或奥维地图复制的经纬度为 GCJ-02，从百度地图复制的为 BD-09。</translation>
    </message>
    <message>
        <location filename="../processing/load_proposals.py" line="56"/>
        <source>Fields every feature lacks, e.g. kind=industrial_park;industry=chemical (as --constant on the command line).</source>
        <translation>每个要素缺少的字段，例如 kind=industrial_park;industry=chemical（同命令行的 --constant）。</translation>
    </message>
    <message>
        <location filename="../processing/load_proposals.py" line="59"/>
        <source>Datum shift from Xian 1980 / Beijing 1954</source>
        <translation>西安80 / 北京54 基准转换参数</translation>
    </message>
    <message>
        <location filename="../processing/load_proposals.py" line="59"/>
        <source>The bureau's parameters: position_vector:dx,dy,dz,rx,ry,rz,ds, coordinate_frame:… or planar:dx,dy,rotation,scale (metres, arc-seconds, ppm).</source>
        <translation>主管部门提供的参数：position_vector:dx,dy,dz,rx,ry,rz,ds、coordinate_frame:… 或 planar:dx,dy,rotation,scale（米、角秒、ppm）。</translation>
    </message>
    <message>
        <location filename="../processing/load_proposals.py" line="63"/>
        <source>The proposals as a GeoPackage layer in EPSG:4490, ready for Check proposals.</source>
        <translation>拟建项目，EPSG:4490 的 GeoPackage 图层，可直接用于“审查拟建项目”。</translation>
    </message>
    <message>
        <location filename="../processing/load_proposals.py" line="82"/>
        <source>{count} proposals</source>
        <translation>{count} 个拟建项目</translation>
    </message>
    <message>
        <location filename="../processing/export_landcoord.py" line="30"/>
        <source>Export 用地坐标 TXT</source>
        <translation>导出用地坐标 TXT</translation>
    </message>
    <message>
        <location filename="../processing/export_landcoord.py" line="33"/>
        <source>Writes polygon proposals as a 用地坐标 TXT (报盘格式) for the 报批 system, as chuannan-gis export does: one parcel per polygon, CGCS2000 Gauss-Krüger coordinates with the zone prefix, GBK.</source>
        <translation>将面状拟建项目写成用地坐标 TXT（报盘格式），供报批系统使用（同 chuannan-gis export）：每个面一个地块，CGCS2000 高斯-克吕格坐标带带号，GBK 编码。</translation>
    </message>
    <message>
        <location filename="../processing/export_landcoord.py" line="38"/>
        <source>Polygons in any CRS, e.g. sites drawn in QGIS or a check&apos;s Result.</source>
        <translation>任意坐标系的面，例如在 QGIS 中绘制的地块或审查结果。</translation>
    </message>
    <message>
        <location filename="../processing/export_landcoord.py" line="40"/>
        <source>The field whose value becomes the parcel's 地块名称.</source>
        <translation>其值作为地块名称的字段。</translation>
    </message>
    <message>
        <location filename="../processing/export_landcoord.py" line="43"/>
        <source>Gauss-Krüger zones</source>
        <translation>高斯-克吕格分带</translation>
    </message>
    <message>
        <location filename="../processing/export_landcoord.py" line="43"/>
        <source>3-degree</source>
        <translation>3 度带</translation>
    </message>
    <message>
        <location filename="../processing/export_landcoord.py" line="43"/>
        <source>6-degree</source>
        <translation>6 度带</translation>
    </message>
    <message>
        <location filename="../processing/export_landcoord.py" line="43"/>
        <source>3-degree zones (EPSG 4488 + 带号) or 6-degree zones (EPSG 4478 + 带号).</source>
        <translation>3 度带（EPSG 4488 + 带号）或 6 度带（EPSG 4478 + 带号）。</translation>
    </message>
    <message>
        <location filename="../processing/export_landcoord.py" line="46"/>
        <source>用地坐标 TXT</source>
        <translation>用地坐标 TXT</translation>
    </message>
    <message>
        <location filename="../processing/export_landcoord.py" line="46"/>
        <source>Text files (*.txt)</source>
        <translation>文本文件 (*.txt)</translation>
    </message>
    <message>
        <location filename="../processing/export_landcoord.py" line="46"/>
        <source>The coordinate file to write.</source>
        <translation>要写出的坐标文件。</translation>
    </message>
    <message>
        <location filename="../processing/export_landcoord.py" line="60"/>
        <source>{count} parcels</source>
        <translation>{count} 个地块</translation>
    </message>
    <message>
        <location filename="../processing/review_documents.py" line="31"/>
        <source>Review documents</source>
        <translation>审查文档</translation>
    </message>
    <message>
        <location filename="../processing/review_documents.py" line="34"/>
        <source>Writes the documents a planner files from a Result of “Check proposals”: 审查意见.xlsx (审查意见表, 压占分析, 地类明细, 依据, 数据来源), 审查意见.docx (a 审查意见 per proposal to edit and sign) and 审查意见.pdf (A4, fonts embedded), in the folder given.</source>
        <translation>由“审查拟建项目”的结果写出规划人员归档的文档：审查意见.xlsx（审查意见表、压占分析、地类明细、依据、数据来源）、审查意见.docx（每个项目一份审查意见，供修改和签署）和审查意见.pdf（A4，嵌入字体），写入所选文件夹。</translation>
    </message>
    <message>
        <location filename="../processing/print_map.py" line="67"/>
        <source>Result GeoPackage (written by Check proposals)</source>
        <translation>结果 GeoPackage（由“审查拟建项目”写出）</translation>
    </message>
    <message>
        <location filename="../processing/print_map.py" line="67"/>
        <source>The Result GeoPackage a check wrote.</source>
        <translation>一次审查写出的结果 GeoPackage。</translation>
    </message>
    <message>
        <location filename="../processing/review_documents.py" line="42"/>
        <source>Formats</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../processing/review_documents.py" line="42"/>
        <source>Which documents to write: xlsx, docx, pdf (default all).</source>
        <translation>要写出的文档：xlsx、docx、pdf（默认全部）。</translation>
    </message>
    <message>
        <location filename="../processing/review_documents.py" line="45"/>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <location filename="../processing/review_documents.py" line="45"/>
        <source>The folder the documents are written into, as 审查意见.xlsx / .docx / .pdf.</source>
        <translation>文档写入的文件夹，文件名为 审查意见.xlsx / .docx / .pdf。</translation>
    </message>
    <message>
        <location filename="../processing/review_documents.py" line="47"/>
        <source>Documents written</source>
        <translation>已写出的文档</translation>
    </message>
    <message>
        <location filename="../processing/review_documents.py" line="67"/>
        <source>Written: {}</source>
        <translation>已写出：{}</translation>
    </message>
    <message>
        <location filename="../processing/print_map.py" line="54"/>
        <source>Print map</source>
        <translation>打印审查附图</translation>
    </message>
    <message>
        <location filename="../processing/print_map.py" line="57"/>
        <source>Lays out a printed map of a Result, one PDF page per proposal: title, the map at a round scale with the plugin's styles, legend, scale bar, north arrow, the verdict and findings, the caveat, the data sources and the date, from a .qpt template a bureau can replace with its own 图框.</source>
        <translation>为结果排版打印地图，每个拟建项目一页 PDF：标题、按整比例尺以插件样式绘制的地图、图例、比例尺、指北针、审查结论与发现、提示、数据来源和日期；版式来自 .qpt 模板，各局可换成自己的图框。</translation>
    </message>
    <message>
        <location filename="../processing/print_map.py" line="70"/>
        <source>Proposal (id or name)</source>
        <translation>拟建项目（编号或名称）</translation>
    </message>
    <message>
        <location filename="../processing/print_map.py" line="70"/>
        <source>One proposal&apos;s proposal_id or name; empty: every proposal, a page each.</source>
        <translation>一个项目的 proposal_id 或名称；留空：全部项目，每个一页。</translation>
    </message>
    <message>
        <location filename="../processing/print_map.py" line="72"/>
        <source>Print map PDF</source>
        <translation>审查附图 PDF</translation>
    </message>
    <message>
        <location filename="../processing/print_map.py" line="72"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../processing/print_map.py" line="72"/>
        <source>One PDF, a page per proposal.</source>
        <translation>一个 PDF，每个项目一页。</translation>
    </message>
    <message>
        <location filename="../processing/print_map.py" line="94"/>
        <source>No proposal {} in the result</source>
        <translation>结果中没有拟建项目 {}</translation>
    </message>
    <message>
        <location filename="../processing/print_map.py" line="137"/>
        <source>The print map could not be written to {}</source>
        <translation>审查附图无法写入 {}</translation>
    </message>
    <message>
        <location filename="../processing/print_map.py" line="144"/>
        <source>The print template {} cannot be read</source>
        <translation>无法读取打印模板 {}</translation>
    </message>
</context>
</TS>
