package org.labcommons.search.catalogue

import groovy.transform.CompileStatic

/**
 * University cities of China with real administrative (region) codes and campus coordinates, the
 * provinces their sharing networks belong to, and the parts institution names are made of. The
 * institutions themselves are fictitious (like the demo's 东湖大学): a city's poetic name plus a
 * kind of institution. Cities are ordered so that the first twenty fall into a dozen provinces.
 */
final class Places {
    private Places() {
    }

    @CompileStatic
    static class City {
        final String zh, en, regionCode
        final double lat, lon
        final List<List<String>> prefixes

        City(String zh, String en, String regionCode, double lat, double lon, List<List<String>> prefixes) {
            this.zh = zh; this.en = en; this.regionCode = regionCode; this.lat = lat; this.lon = lon; this.prefixes = prefixes
        }

        String provinceCode() { regionCode.substring(0, 2) + '0000' }
    }

    static final List<City> CITIES = [
            new City('杭州', 'Hangzhou', '330106', 30.2650, 120.1230, [['钱塘', 'Qiantang'], ['之江', 'Zhijiang'], ['武林', 'Wulin']]),
            new City('南京', 'Nanjing', '320102', 32.0590, 118.7960, [['金陵', 'Jinling'], ['钟山', 'Zhongshan'], ['秦淮', 'Qinhuai']]),
            new City('上海', 'Shanghai', '310110', 31.2990, 121.5030, [['沪江', 'Hujiang'], ['浦江', 'Pujiang'], ['申城', 'Shencheng']]),
            new City('北京', 'Beijing', '110108', 39.9920, 116.3100, [['燕园', 'Yanyuan'], ['京华', 'Jinghua'], ['海淀', 'Haidian']]),
            new City('武汉', 'Wuhan', '420111', 30.5250, 114.3600, [['江城', 'Jiangcheng'], ['珞珈', 'Luojia'], ['楚天', 'Chutian']]),
            new City('广州', 'Guangzhou', '440106', 23.1330, 113.3500, [['羊城', 'Yangcheng'], ['珠江', 'Zhujiang'], ['岭南', 'Lingnan']]),
            new City('宁波', 'Ningbo', '330212', 29.8700, 121.5500, [['甬江', 'Yongjiang'], ['四明', 'Siming']]),
            new City('苏州', 'Suzhou', '320506', 31.2990, 120.6200, [['姑苏', 'Gusu'], ['吴中', 'Wuzhong']]),
            new City('深圳', 'Shenzhen', '440305', 22.5330, 113.9300, [['鹏城', 'Pengcheng'], ['南山', 'Nanshan']]),
            new City('成都', 'Chengdu', '510107', 30.6300, 104.0800, [['锦城', 'Jincheng'], ['蜀都', 'Shudu'], ['天府', 'Tianfu']]),
            new City('西安', 'Xi\'an', '610113', 34.2300, 108.9500, [['长安', 'Chang\'an'], ['秦川', 'Qinchuan'], ['雁塔', 'Yanta']]),
            new City('合肥', 'Hefei', '340104', 31.8400, 117.2700, [['庐州', 'Luzhou'], ['巢湖', 'Chaohu']]),
            new City('青岛', 'Qingdao', '370212', 36.0700, 120.3800, [['琴岛', 'Qindao'], ['崂山', 'Laoshan']]),
            new City('济南', 'Jinan', '370102', 36.6700, 117.0600, [['泉城', 'Quancheng'], ['历下', 'Lixia']]),
            new City('天津', 'Tianjin', '120104', 39.1000, 117.1700, [['津门', 'Jinmen'], ['海河', 'Haihe']]),
            new City('长沙', 'Changsha', '430104', 28.1800, 112.9400, [['湘江', 'Xiangjiang'], ['岳麓', 'Yuelu']]),
            new City('厦门', 'Xiamen', '350203', 24.4400, 118.1000, [['鹭岛', 'Ludao'], ['思明', 'Siming']]),
            new City('大连', 'Dalian', '210211', 38.8800, 121.5300, [['滨城', 'Bincheng'], ['星海', 'Xinghai']]),
            new City('哈尔滨', 'Harbin', '230103', 45.7500, 126.6300, [['冰城', 'Bingcheng'], ['松江', 'Songjiang']]),
            new City('重庆', 'Chongqing', '500106', 29.5600, 106.4600, [['山城', 'Shancheng'], ['嘉陵', 'Jialing']]),
            new City('昆明', 'Kunming', '530102', 25.0600, 102.7000, [['春城', 'Chuncheng'], ['滇池', 'Dianchi']]),
            new City('兰州', 'Lanzhou', '620102', 36.0500, 103.8600, [['皋兰', 'Gaolan'], ['陇原', 'Longyuan']]),
            new City('长春', 'Changchun', '220104', 43.8200, 125.2800, [['净月', 'Jingyue'], ['南湖', 'Nanhu']]),
            new City('郑州', 'Zhengzhou', '410105', 34.8000, 113.6600, [['中原', 'Zhongyuan'], ['商都', 'Shangdu']]),
            new City('福州', 'Fuzhou', '350102', 26.0800, 119.3000, [['榕城', 'Rongcheng'], ['闽江', 'Minjiang']]),
            new City('沈阳', 'Shenyang', '210102', 41.8000, 123.4300, [['盛京', 'Shengjing'], ['浑河', 'Hunhe']]),
            new City('南昌', 'Nanchang', '360102', 28.6800, 115.8900, [['洪城', 'Hongcheng'], ['赣江', 'Ganjiang']]),
            new City('太原', 'Taiyuan', '140105', 37.8700, 112.5500, [['并州', 'Bingzhou'], ['汾河', 'Fenhe']]),
            new City('贵阳', 'Guiyang', '520102', 26.5800, 106.7100, [['筑城', 'Zhucheng'], ['黔灵', 'Qianling']]),
            new City('南宁', 'Nanning', '450103', 22.8200, 108.3200, [['邕江', 'Yongjiang'], ['绿城', 'Lvcheng']]),
    ]

    /** Provincial sharing networks (the tenants institutions belong to). */
    static final Map<String, List<String>> PROVINCES = [
            '330000': ['浙江省', 'Zhejiang'], '320000': ['江苏省', 'Jiangsu'], '310000': ['上海市', 'Shanghai'],
            '110000': ['北京市', 'Beijing'], '420000': ['湖北省', 'Hubei'], '440000': ['广东省', 'Guangdong'],
            '510000': ['四川省', 'Sichuan'], '610000': ['陕西省', 'Shaanxi'], '340000': ['安徽省', 'Anhui'],
            '370000': ['山东省', 'Shandong'], '120000': ['天津市', 'Tianjin'], '430000': ['湖南省', 'Hunan'],
            '350000': ['福建省', 'Fujian'], '210000': ['辽宁省', 'Liaoning'], '230000': ['黑龙江省', 'Heilongjiang'],
            '500000': ['重庆市', 'Chongqing'], '530000': ['云南省', 'Yunnan'], '620000': ['甘肃省', 'Gansu'],
            '220000': ['吉林省', 'Jilin'], '410000': ['河南省', 'Henan'], '360000': ['江西省', 'Jiangxi'],
            '140000': ['山西省', 'Shanxi'], '520000': ['贵州省', 'Guizhou'], '450000': ['广西壮族自治区', 'Guangxi'],
    ]

    /** Kinds of institution: Chinese suffix, English pattern (%s = the city's name), profile. */
    static final List<List<String>> KINDS = [
            ['大学', '%s University', 'comprehensive'],
            ['理工大学', '%s University of Technology', 'engineering'],
            ['师范大学', '%s Normal University', 'normal'],
            ['医科大学', '%s Medical University', 'medical'],
            ['科技大学', '%s University of Science and Technology', 'engineering'],
            ['农业大学', '%s Agricultural University', 'agri'],
            ['工业大学', '%s Polytechnic University', 'engineering'],
            ['化学物理研究所', '%s Institute of Chemical Physics', 'inst-chem'],
            ['材料研究所', '%s Institute of Materials Research', 'inst-chem'],
            ['生物医学研究院', '%s Institute of Biomedicine', 'inst-bio'],
    ]

    /** Org units by code: kind, Chinese and English names, platform level, management mode, building. */
    static final Map<String, List<Object>> UNITS = [
            'ATC'    : ['platform', '分析测试中心', 'Analysis and Testing Center', 1, 'central', '分析测试中心大楼'],
            'BIOPLAT': ['platform', '生命科学公共仪器平台', 'Life Science Core Facility', 1, 'central', '生命科学楼'],
            'NMR'    : ['lab', '核磁共振实验室', 'NMR Laboratory', 2, 'central', '化学楼'],
            'CHEM'   : ['department', '化学化工学院', 'School of Chemistry and Chemical Engineering', null, null, '化学楼'],
            'MSE'    : ['department', '材料科学与工程学院', 'School of Materials Science and Engineering', null, null, '材料楼'],
            'LIFE'   : ['department', '生命科学学院', 'School of Life Sciences', null, null, '生命科学楼'],
            'MED'    : ['department', '基础医学院', 'School of Basic Medical Sciences', null, null, '医学楼'],
            'PHYS'   : ['department', '物理学院', 'School of Physics', null, null, '物理楼'],
            'ENV'    : ['department', '环境科学与工程学院', 'School of Environmental Science and Engineering', null, null, '环境楼'],
            'MECH'   : ['department', '机械工程学院', 'School of Mechanical Engineering', null, null, '机械楼'],
            'GEO'    : ['department', '地球科学学院', 'School of Earth Sciences', null, null, '地学楼'],
            'PHARM'  : ['department', '药学院', 'School of Pharmacy', null, null, '药学楼'],
            'FOOD'   : ['department', '食品科学与工程学院', 'School of Food Science and Engineering', null, null, '食品楼'],
            'AGRI'   : ['department', '农学院', 'College of Agriculture', null, null, '农学楼'],
    ]

    /** Which units an institution of a profile has, and how it weights the fields of instrument types. */
    static final Map<String, List<String>> PROFILE_UNITS = [
            'comprehensive': ['ATC', 'BIOPLAT', 'NMR', 'CHEM', 'MSE', 'LIFE', 'MED', 'PHYS', 'ENV', 'GEO', 'PHARM'],
            'engineering'  : ['ATC', 'CHEM', 'MSE', 'PHYS', 'MECH', 'ENV', 'LIFE'],
            'normal'       : ['ATC', 'CHEM', 'LIFE', 'PHYS', 'GEO', 'ENV'],
            'medical'      : ['BIOPLAT', 'ATC', 'MED', 'PHARM', 'LIFE'],
            'agri'         : ['ATC', 'BIOPLAT', 'LIFE', 'AGRI', 'FOOD', 'ENV', 'CHEM'],
            'inst-chem'    : ['ATC', 'NMR', 'CHEM', 'MSE', 'PHYS'],
            'inst-bio'     : ['BIOPLAT', 'LIFE', 'MED', 'ATC'],
    ]

    static final Map<String, Map<String, Double>> PROFILE_FIELDS = [
            'comprehensive': [mat: 1d, chem: 1d, bio: 1d, gen: 1d],
            'engineering'  : [mat: 1.6d, chem: 1d, bio: 0.4d, gen: 1d],
            'normal'       : [mat: 0.8d, chem: 1.1d, bio: 1d, gen: 1d],
            'medical'      : [mat: 0.2d, chem: 0.7d, bio: 2.5d, gen: 1d],
            'agri'         : [mat: 0.5d, chem: 1.2d, bio: 1.5d, gen: 1d],
            'inst-chem'    : [mat: 1.5d, chem: 2d, bio: 0.2d, gen: 0.6d],
            'inst-bio'     : [mat: 0.1d, chem: 0.6d, bio: 3d, gen: 1d],
    ]
}
