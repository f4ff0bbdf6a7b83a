<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>@default</name>
    <message>
        <location filename="../plugin.py" line="34"/>
        <source>Click to check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="105"/>
        <source>Click-check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="79"/>
        <source>Click a point</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="80"/>
        <source>Draw a polygon (right click to finish)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="82"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="82"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="82"/>
        <source>Industry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="82"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="86"/>
        <source>Keep as feature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core.py" line="32"/>
        <source>Chuannan compliance needs Python libraries that this QGIS does not have: {missing}. Click “Install dependencies” in the message bar (needs internet; restart QGIS afterwards), or run in the OSGeo4W Shell: {command}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core.py" line="104"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core.py" line="121"/>
        <source>Verdict colours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="36"/>
        <source>Click a point or draw a polygon on the map to check it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/provider.py" line="22"/>
        <source>Chuannan compliance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="77"/>
        <source>Install dependencies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="85"/>
        <source>Installing Python libraries for Chuannan compliance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="92"/>
        <source>Libraries installed. Restart QGIS to use them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="96"/>
        <source>Installing the libraries failed: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="40"/>
        <source>Check proposals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="43"/>
        <source>Checks proposed industrial parks, ports, enterprises and projects against the constraint layers with the rule catalog, exactly as the chuannan-gis command line does. Map the name, kind, industry and status fields if they are named differently; Chinese values such as 园区 or 化工 are accepted. The result layer is coloured by verdict and carries the reasons and citations. A verdict is a screening, not a permit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="51"/>
        <source>Proposals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="53"/>
        <source>Name field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="53"/>
        <source>Kind field (kind)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="54"/>
        <source>Industry field (industry)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="55"/>
        <source>Status field (status)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="59"/>
        <source>Custom rules file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="59"/>
        <source>Rule catalog (*.yaml *.yml *.toml)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/load_constraints.py" line="40"/>
        <source>Constraint layers GeoPackage (adds to / replaces the bundled ones)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/load_constraints.py" line="40"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="65"/>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="67"/>
        <source>HTML report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="67"/>
        <source>HTML files (*.html)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="82"/>
        <source>Checking {count} proposals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/check_proposals.py" line="112"/>
        <source>Compliance result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/load_constraints.py" line="29"/>
        <source>Load constraint layers into the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/load_constraints.py" line="32"/>
        <source>Adds the constraint layers the check uses (the bundled set, overlaid with your GeoPackage if given) to the project in one group, styled. Layers that rest on indicative (示意) data are marked so in the layer tree.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/load_constraints.py" line="43"/>
        <source>Constraint layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/load_constraints.py" line="49"/>
        <source>Chuannan constraints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/load_constraints.py" line="73"/>
        <source>Source: {source}; licence: {licence}; date: {date}; method: {method}; accuracy: {accuracy} m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/provider.py" line="25"/>
        <source>Chuannan compliance: South Sichuan siting screening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="201"/>
        <source>Rests on indicative (示意) data: verify with the official layers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../clickcheck.py" line="202"/>
        <source>A screening result, not a permit.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
