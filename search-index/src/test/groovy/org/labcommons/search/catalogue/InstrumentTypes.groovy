package org.labcommons.search.catalogue

/**
 * The instrument types of the generated catalogue: what Chinese university sharing platforms
 * (analysis and testing centres, life-science platforms, materials and engineering schools) really
 * list, with the names, manufacturers and models found in their registers. Values are original
 * values in RMB (yuan); the generator stores fen.
 */
final class InstrumentTypes {
    private InstrumentTypes() {
    }

    /** Manufacturers: canonical key (used by labels) → how registers spell it, and its country. */
    static final Map<String, List<String>> MAKER_SPELLINGS = [
            'JEOL'                 : ['JEOL', '日本电子', '日本电子株式会社', 'JEOL Ltd.'],
            'Thermo Fisher'        : ['Thermo Fisher', 'Thermo Fisher Scientific', '赛默飞世尔', '赛默飞', 'Thermo Scientific'],
            'FEI'                  : ['FEI', 'FEI Company', '美国FEI'],
            'Hitachi'              : ['Hitachi', '日立', 'Hitachi High-Tech', '日立高新'],
            'Zeiss'                : ['Zeiss', 'Carl Zeiss', '卡尔蔡司', '蔡司'],
            'Bruker'               : ['Bruker', '布鲁克', '德国布鲁克', 'Bruker Corporation'],
            'Rigaku'               : ['Rigaku', '日本理学', '理学'],
            'Malvern Panalytical'  : ['Malvern Panalytical', '马尔文帕纳科', 'PANalytical', 'Malvern'],
            'Agilent'              : ['Agilent', '安捷伦', 'Agilent Technologies', '美国安捷伦'],
            'Shimadzu'             : ['Shimadzu', '岛津', '日本岛津'],
            'Waters'               : ['Waters', '沃特世', '美国沃特世'],
            'SCIEX'                : ['SCIEX', 'AB SCIEX', 'AB Sciex'],
            'PerkinElmer'          : ['PerkinElmer', '珀金埃尔默', 'PE'],
            'BD'                   : ['BD', 'BD Biosciences', '碧迪', 'Becton Dickinson'],
            'Beckman Coulter'      : ['Beckman Coulter', '贝克曼库尔特', '贝克曼'],
            'Cytek'                : ['Cytek', 'Cytek Biosciences'],
            'Sony'                 : ['Sony', '索尼'],
            'Leica'                : ['Leica', '徕卡', 'Leica Microsystems'],
            'Nikon'                : ['Nikon', '尼康'],
            'Olympus'              : ['Olympus', '奥林巴斯', 'Evident'],
            'Andor'                : ['Andor', 'Andor Technology'],
            'Oxford Instruments'   : ['Oxford Instruments', '牛津仪器', 'Asylum Research'],
            'Park Systems'         : ['Park Systems', 'Park'],
            'Kratos'               : ['Kratos', 'Kratos Analytical'],
            'ULVAC-PHI'            : ['ULVAC-PHI', 'PHI', '爱发科-PHI'],
            'HORIBA'               : ['HORIBA', '堀场', 'Horiba Jobin Yvon'],
            'Renishaw'             : ['Renishaw', '雷尼绍'],
            'WITec'                : ['WITec'],
            'Edinburgh Instruments': ['Edinburgh Instruments', '爱丁堡仪器', '英国爱丁堡'],
            'NETZSCH'              : ['NETZSCH', '耐驰', '德国耐驰'],
            'Mettler Toledo'       : ['Mettler Toledo', '梅特勒-托利多', '梅特勒'],
            'TA Instruments'       : ['TA Instruments', 'TA', '美国TA'],
            'Micromeritics'        : ['Micromeritics', '麦克默瑞提克', '美国麦克'],
            'Quantachrome'         : ['Quantachrome', '康塔'],
            'Anton Paar'           : ['Anton Paar', '安东帕'],
            'Bettersize'           : ['Bettersize', '丹东百特', '百特'],
            'Microtrac'            : ['Microtrac', '麦奇克'],
            'Brookhaven'           : ['Brookhaven', '布鲁克海文'],
            'Elementar'            : ['Elementar', '德国元素'],
            'Xenocs'               : ['Xenocs'],
            'Illumina'             : ['Illumina', '因美纳'],
            'MGI'                  : ['MGI', '华大智造', '深圳华大智造'],
            'PacBio'               : ['PacBio', 'Pacific Biosciences'],
            'Oxford Nanopore'      : ['Oxford Nanopore', 'Oxford Nanopore Technologies'],
            'Applied Biosystems'   : ['Applied Biosystems', 'ABI', '应用生物系统'],
            'Bio-Rad'              : ['Bio-Rad', '伯乐'],
            'Roche'                : ['Roche', '罗氏'],
            'Instron'              : ['Instron', '英斯特朗'],
            'ZwickRoell'           : ['ZwickRoell', 'Zwick', '德国兹韦克'],
            'MTS'                  : ['MTS', '美特斯'],
            'SANS'                 : ['深圳新三思', 'SANS'],
            'TESCAN'               : ['TESCAN', '泰思肯'],
            'CIQTEK'               : ['CIQTEK', '国仪量子'],
            'KLA'                  : ['KLA', 'KLA-Tencor', 'Keysight'],
            'Molecular Devices'    : ['Molecular Devices', '美谷分子'],
            'BioTek'               : ['BioTek', 'BioTek Instruments'],
            'Tecan'                : ['Tecan', '帝肯'],
            'BMG LABTECH'          : ['BMG LABTECH', 'BMG'],
            'Applied Photophysics' : ['Applied Photophysics'],
            'JASCO'                : ['JASCO', '日本分光'],
            'Metrohm'              : ['Metrohm', '瑞士万通'],
            'Tosoh'                : ['Tosoh', '东曹'],
            'Wyatt'                : ['Wyatt Technology', 'Wyatt'],
            'Scanco'               : ['Scanco Medical', 'SCANCO'],
            'Waygate'              : ['Waygate Technologies', 'GE phoenix'],
            'MR Solutions'         : ['MR Solutions'],
            'Analytik Jena'        : ['Analytik Jena', '耶拿'],
            'SPECTRO'              : ['SPECTRO', '斯派克'],
            'LECO'                 : ['LECO', '力可'],
            'Eppendorf Himac'      : ['Eppendorf Himac', 'Himac', '日立Himac'],
            'Göttfert'             : ['Göttfert', '高特福'],
            'Alemnis'              : ['Alemnis'],
            'Sympatec'             : ['Sympatec', '新帕泰克'],
    ]

    static final Map<String, String> MAKER_COUNTRY = [
            'JEOL': 'JP', 'Thermo Fisher': 'US', 'FEI': 'US', 'Hitachi': 'JP', 'Zeiss': 'DE', 'Bruker': 'DE',
            'Rigaku': 'JP', 'Malvern Panalytical': 'GB', 'Agilent': 'US', 'Shimadzu': 'JP', 'Waters': 'US',
            'SCIEX': 'US', 'PerkinElmer': 'US', 'BD': 'US', 'Beckman Coulter': 'US', 'Cytek': 'US', 'Sony': 'JP',
            'Leica': 'DE', 'Nikon': 'JP', 'Olympus': 'JP', 'Andor': 'GB', 'Oxford Instruments': 'GB',
            'Park Systems': 'KR', 'Kratos': 'GB', 'ULVAC-PHI': 'JP', 'HORIBA': 'JP', 'Renishaw': 'GB', 'WITec': 'DE',
            'Edinburgh Instruments': 'GB', 'NETZSCH': 'DE', 'Mettler Toledo': 'CH', 'TA Instruments': 'US',
            'Micromeritics': 'US', 'Quantachrome': 'US', 'Anton Paar': 'AT', 'Bettersize': 'CN', 'Microtrac': 'US',
            'Brookhaven': 'US', 'Elementar': 'DE', 'Xenocs': 'FR', 'Illumina': 'US', 'MGI': 'CN', 'PacBio': 'US',
            'Oxford Nanopore': 'GB', 'Applied Biosystems': 'US', 'Bio-Rad': 'US', 'Roche': 'CH', 'Instron': 'US',
            'ZwickRoell': 'DE', 'MTS': 'US', 'SANS': 'CN', 'TESCAN': 'CZ', 'CIQTEK': 'CN', 'KLA': 'US',
            'Molecular Devices': 'US', 'BioTek': 'US', 'Tecan': 'CH', 'BMG LABTECH': 'DE',
            'Applied Photophysics': 'GB', 'JASCO': 'JP', 'Metrohm': 'CH', 'Tosoh': 'JP', 'Wyatt': 'US',
            'Scanco': 'CH', 'Waygate': 'DE', 'MR Solutions': 'GB', 'Analytik Jena': 'DE', 'SPECTRO': 'DE',
            'LECO': 'US', 'Eppendorf Himac': 'JP', 'Göttfert': 'DE', 'Alemnis': 'CH', 'Sympatec': 'DE',
    ]

    private static final Map<String, String> MAKER_ZH = MAKER_SPELLINGS.collectEntries { k, v ->
        [(k): v.find { it =~ /\p{IsHan}/ } ?: k]
    }

    /** How a Chinese register names the maker (its Chinese name where it has one). */
    static String makerZh(String maker) { MAKER_ZH[maker] }

    static InstrumentType type(String key, String code, String field, double weight, long minYuan, long maxYuan,
                               List<String> units, @DelegatesTo(InstrumentType) Closure body) {
        def t = new InstrumentType(key, code, field, weight, minYuan, maxYuan, units)
        body.delegate = t
        body.resolveStrategy = Closure.DELEGATE_FIRST
        body.call()
        assert t.zh && t.en && t.models && t.services: "type ${key} is incomplete"
        t.models.each { m ->
            assert MAKER_SPELLINGS.containsKey(m.maker): "unknown maker ${m.maker} in ${key}"
            assert t.namesZh(m) && t.namesEn(m): "no name fits ${m.model} in ${key}"
        }
        t
    }

    static final List<InstrumentType> ALL = [
            // ---------------------------------------------------------------- electron microscopy
            type('tem', '010101', 'mat', 3, 4_000_000, 15_000_000, ['ATC', 'MSE', 'PHYS', 'LIFE']) {
                zh '透射电子显微镜'
                zh '透射电镜'
                zh '场发射透射电子显微镜', 'fe'
                zh '场发射透射电镜', 'fe'
                zh '高分辨透射电子显微镜', 'fe'
                zh '高分辨透射电镜', 'fe'
                zh '生物透射电子显微镜', 'bio'
                zh '120kV透射电子显微镜', 'bio'
                en 'Transmission electron microscope'
                en 'Transmission Electron Microscope (TEM)'
                en 'Field emission transmission electron microscope', 'fe'
                en 'High-resolution transmission electron microscope (HRTEM)', 'fe'
                en 'Biological transmission electron microscope', 'bio'
                model 'JEOL', 'JEM-2100F', 'fe', weight: 2
                model 'JEOL', 'JEM-2100Plus', 'lab6'
                model 'JEOL', 'JEM-F200', 'fe'
                model 'JEOL', 'JEM-1400Flash', 'bio', max: 5_000_000
                model 'FEI', 'Tecnai G2 F20', 'fe'
                model 'FEI', 'Talos F200X', 'fe', weight: 1.5
                model 'Thermo Fisher', 'Talos F200S', 'fe'
                model 'Thermo Fisher', 'Tecnai G2 Spirit', 'bio', max: 5_000_000
                model 'Hitachi', 'HT7800', 'bio', max: 5_000_000
                model 'Hitachi', 'HF5000', 'fe'
                service '高分辨成像', 'High-resolution (HRTEM) imaging', '粉末分散于乙醇后滴于铜网，或提供离子减薄/FIB制备的薄片', 'fe'
                service '选区电子衍射', 'Selected area electron diffraction (SAED)', '样品厚度小于100 nm'
                service '能谱分析', 'EDS elemental analysis and mapping', '注明待测元素', 'fe'
                service '扫描透射成像', 'STEM-HAADF imaging', '样品需无磁性或弱磁性', 'fe'
                service '明场像观察', 'Bright-field imaging', '铜网样品'
                service '负染样品观察', 'Negative-stain imaging', '蛋白/病毒样品，负染后上机', 'bio'
                service '超薄切片观察', 'Ultrathin section imaging', '组织样品经固定、包埋、超薄切片', 'bio'
                desc '点分辨率0.23 nm，信息分辨率0.14 nm，配备能谱仪和STEM附件，可用于材料微观结构、晶体缺陷和界面分析。',
                        'Point resolution 0.23 nm, information limit 0.14 nm; EDS and STEM attachments; microstructure, defects and interfaces of materials.', 'fe'
                desc '加速电压120 kV，主要用于生物组织超薄切片、负染样品和纳米颗粒形貌观察。',
                        '120 kV; ultrathin sections of biological tissue, negative-stain samples and nanoparticle morphology.', 'bio'
                desc '主要用于纳米材料形貌、晶体结构和选区电子衍射分析。', 'Morphology, crystal structure and SAED of nanomaterials.'
            },
            type('ac_tem', '010101', 'mat', 0.5, 18_000_000, 30_000_000, ['ATC', 'MSE', 'PHYS']) {
                zh '球差校正透射电子显微镜'
                zh '球差校正透射电镜'
                zh '双球差校正透射电子显微镜'
                zh '球差校正扫描透射电子显微镜'
                zh '场发射球差校正透射电镜'
                en 'Aberration-corrected transmission electron microscope'
                en 'Spherical aberration corrected TEM/STEM'
                en 'Double Cs-corrected transmission electron microscope'
                model 'Thermo Fisher', 'Titan Themis G2 300', 'fe'
                model 'Thermo Fisher', 'Themis Z', 'fe'
                model 'FEI', 'Titan G2 60-300', 'fe'
                model 'JEOL', 'JEM-ARM200F', 'fe', weight: 1.5
                model 'JEOL', 'JEM-ARM300F2', 'fe'
                model 'Thermo Fisher', 'Spectra 300', 'fe', max: 45_000_000
                service '原子分辨率HAADF-STEM成像', 'Atomic-resolution HAADF-STEM imaging', 'FIB或离子减薄制备的薄区样品，厚度小于50 nm'
                service '电子能量损失谱', 'Electron energy loss spectroscopy (EELS)', '注明待测元素及边'
                service '能谱面扫描', 'EDS mapping', '注明待测元素'
                service '积分差分相位衬度成像', 'iDPC imaging', '轻元素样品'
                desc '配备物镜和聚光镜双球差校正器，STEM分辨率优于0.06 nm，可进行原子尺度成像与谱学分析。',
                        'Probe and image Cs correctors; STEM resolution better than 0.06 nm; atomic-scale imaging and spectroscopy.'
            },
            type('cryo_em', '010101', 'bio', 0.4, 20_000_000, 70_000_000, ['BIOPLAT', 'LIFE', 'MED']) {
                zh '冷冻电镜'
                zh '冷冻透射电子显微镜'
                zh '300kV冷冻电镜', 'kv300'
                zh '冷冻电子显微镜'
                zh '200kV冷冻透射电镜', 'kv200'
                en 'Cryo-electron microscope'
                en 'Cryo-transmission electron microscope (cryo-EM)'
                en '300 kV cryo-EM', 'kv300'
                en '200 kV cryo-TEM', 'kv200'
                model 'Thermo Fisher', 'Titan Krios G4', 'kv300 fe', min: 45_000_000
                model 'Thermo Fisher', 'Titan Krios G3i', 'kv300 fe', min: 40_000_000
                model 'Thermo Fisher', 'Glacios', 'kv200 fe', max: 25_000_000
                model 'Thermo Fisher', 'Talos Arctica', 'kv200 fe', max: 25_000_000
                model 'JEOL', 'CRYO ARM 300', 'kv300 fe', min: 40_000_000
                service '单颗粒冷冻电镜数据收集', 'Single-particle cryo-EM data collection', '经筛选的冷冻载网样品'
                service '冷冻样品制备', 'Cryo sample vitrification', '纯化蛋白样品，浓度0.5–5 mg/mL'
                service '冷冻电子断层成像', 'Cryo-electron tomography (cryo-ET)', '细胞或FIB减薄的冷冻样品'
                desc '配备直接电子探测相机和能量过滤器，用于生物大分子高分辨结构解析。',
                        'Direct electron detector and energy filter; high-resolution structures of biological macromolecules.'
            },
            type('sem', '010102', 'mat', 8, 800_000, 5_000_000, ['ATC', 'MSE', 'CHEM', 'GEO', 'MECH', 'LIFE']) {
                zh '扫描电子显微镜'
                zh '扫描电镜'
                zh '场发射扫描电子显微镜', 'fe'
                zh '场发射扫描电镜', 'fe'
                zh '热场发射扫描电子显微镜', 'fe'
                zh '冷场发射扫描电镜', 'cfe'
                zh '钨灯丝扫描电子显微镜', 'w'
                zh '台式扫描电镜', 'tabletop'
                zh '环境扫描电子显微镜', 'esem'
                en 'Scanning electron microscope'
                en 'Scanning Electron Microscope (SEM)'
                en 'Field emission scanning electron microscope', 'fe'
                en 'FE-SEM', 'fe'
                en 'Tungsten filament SEM', 'w'
                en 'Tabletop scanning electron microscope', 'tabletop'
                en 'Environmental scanning electron microscope', 'esem'
                model 'Hitachi', 'SU8010', 'fe cfe', weight: 1.5
                model 'Hitachi', 'SU8020', 'fe cfe'
                model 'Hitachi', 'SU8220', 'fe cfe'
                model 'Hitachi', 'Regulus 8100', 'fe cfe'
                model 'Hitachi', 'SU3500', 'w', max: 1_500_000
                model 'Zeiss', 'Sigma 300', 'fe', weight: 1.5
                model 'Zeiss', 'GeminiSEM 500', 'fe'
                model 'Zeiss', 'Merlin', 'fe'
                model 'FEI', 'Quanta 250 FEG', 'fe esem'
                model 'FEI', 'Nova NanoSEM 450', 'fe'
                model 'Thermo Fisher', 'Apreo 2', 'fe'
                model 'JEOL', 'JSM-7800F', 'fe'
                model 'JEOL', 'JSM-7610F', 'fe'
                model 'JEOL', 'JSM-IT500', 'w', max: 1_500_000
                model 'Thermo Fisher', 'Phenom ProX', 'tabletop', min: 500_000, max: 900_000
                model 'TESCAN', 'MIRA4', 'fe'
                service '形貌观察', 'Morphology imaging (SEM)', '干燥、导电或经喷金处理的固体样品'
                service '能谱分析', 'EDS elemental analysis', '注明待测元素'
                service '电子背散射衍射', 'Electron backscatter diffraction (EBSD)', '表面经抛光或离子抛光处理', 'fe'
                service '喷金喷碳制样', 'Sputter and carbon coating', '不导电样品'
                desc '二次电子分辨率0.8 nm@15 kV，配备牛津能谱仪，可进行样品表面形貌观察和微区成分分析。',
                        'Secondary-electron resolution 0.8 nm at 15 kV, Oxford EDS; surface morphology and micro-area composition.', 'fe'
                desc '主要用于材料、生物和地质样品的表面形貌观察。', 'Surface morphology of materials, biological and geological samples.'
            },
            type('fib_sem', '010102', 'mat', 0.7, 6_000_000, 18_000_000, ['ATC', 'MSE', 'PHYS']) {
                zh '聚焦离子束扫描电镜双束系统'
                zh '聚焦离子束-扫描电子显微镜'
                zh '双束电镜'
                zh 'FIB-SEM双束系统'
                zh '聚焦离子束显微镜'
                en 'Focused ion beam scanning electron microscope (FIB-SEM)'
                en 'Dual-beam FIB-SEM system'
                en 'Focused ion beam system'
                model 'Thermo Fisher', 'Helios 5 UX', 'fe'
                model 'FEI', 'Helios G4 CX', 'fe'
                model 'Thermo Fisher', 'Scios 2', 'fe'
                model 'Zeiss', 'Crossbeam 550', 'fe'
                model 'Zeiss', 'Crossbeam 350', 'fe'
                model 'TESCAN', 'AMBER X', 'fe'
                model 'FEI', 'Helios NanoLab 600i', 'fe'
                service 'TEM样品制备', 'TEM lamella preparation (FIB lift-out)', '块体样品，标注目标区域'
                service '截面加工与成像', 'Cross-section milling and imaging', '块体或薄膜样品'
                service 'FIB三维重构', 'FIB-SEM tomography (3D reconstruction)', '提供感兴趣区域'
                service '微纳加工', 'Micro- and nano-fabrication', '提供加工图形'
                desc '电子束分辨率0.6 nm，离子束分辨率2.5 nm，可进行TEM样品制备、截面分析和三维重构。',
                        'Electron beam resolution 0.6 nm, ion beam 2.5 nm; TEM sample preparation, cross-sections and 3D reconstruction.'
            },
            type('epma', '010103', 'mat', 0.6, 5_000_000, 10_000_000, ['ATC', 'GEO', 'MSE']) {
                zh '电子探针显微分析仪'
                zh '场发射电子探针', 'fe'
                zh '电子探针'
                en 'Electron probe microanalyzer (EPMA)'
                en 'Field emission electron probe microanalyzer', 'fe'
                model 'JEOL', 'JXA-8530F Plus', 'fe'
                model 'JEOL', 'JXA-8230'
                model 'Shimadzu', 'EPMA-1720H'
                service '微区成分定量分析', 'Quantitative micro-area analysis (WDS)', '表面抛光的块体或光薄片'
                service '元素面分布', 'Element mapping', '注明元素'
                desc '配备5道波谱仪，用于矿物、金属和陶瓷的微区成分定量分析。',
                        'Five WDS spectrometers; quantitative micro-analysis of minerals, metals and ceramics.'
            },
            // ---------------------------------------------------------------- scanning probe, optical microscopy
            type('afm', '010803', 'mat', 3, 800_000, 4_000_000, ['ATC', 'MSE', 'PHYS', 'CHEM']) {
                zh '原子力显微镜'
                zh '扫描探针显微镜'
                zh '多功能扫描探针显微镜'
                zh '原子力显微镜（AFM）'
                en 'Atomic force microscope'
                en 'Atomic Force Microscope (AFM)'
                en 'Scanning probe microscope (SPM)'
                model 'Bruker', 'Dimension Icon', '', weight: 2
                model 'Bruker', 'Dimension FastScan'
                model 'Bruker', 'MultiMode 8-HR'
                model 'Oxford Instruments', 'Cypher ES'
                model 'Oxford Instruments', 'MFP-3D Infinity'
                model 'Park Systems', 'NX10'
                model 'Hitachi', 'AFM100 Pro'
                service '表面形貌扫描', 'Surface topography (tapping mode)', '样品平整，尺寸小于1 cm'
                service '导电原子力', 'Conductive AFM', '导电衬底'
                service '纳米力学性能', 'PeakForce QNM nanomechanics', '平整样品'
                service '压电力显微镜', 'Piezoresponse force microscopy (PFM)', '铁电薄膜'
                service '开尔文探针力显微镜', 'Kelvin probe force microscopy (KPFM)', '导电衬底'
                desc '可在轻敲、接触和PeakForce模式下工作，提供表面形貌、粗糙度和纳米力学表征。',
                        'Tapping, contact and PeakForce modes; topography, roughness and nanomechanics.'
            },
            type('confocal', '010802', 'bio', 4, 1_500_000, 6_000_000, ['BIOPLAT', 'LIFE', 'MED', 'PHARM']) {
                zh '激光扫描共聚焦显微镜'
                zh '激光共聚焦显微镜'
                zh '共聚焦显微镜'
                zh '激光共聚焦扫描显微镜'
                zh '高分辨激光共聚焦显微镜', '!spin'
                zh '转盘共聚焦显微镜', 'spin'
                zh '激光共聚焦显微成像系统'
                en 'Confocal laser scanning microscope'
                en 'Confocal Laser Scanning Microscope (CLSM)'
                en 'Confocal microscope'
                en 'Spinning-disk confocal microscope', 'spin'
                model 'Zeiss', 'LSM 880', '', weight: 2
                model 'Zeiss', 'LSM 900'
                model 'Zeiss', 'LSM 980'
                model 'Leica', 'TCS SP8', '', weight: 2
                model 'Leica', 'STELLARIS 5'
                model 'Leica', 'STELLARIS 8'
                model 'Nikon', 'A1R'
                model 'Nikon', 'AX R'
                model 'Olympus', 'FV3000', '', weight: 1.5
                model 'Olympus', 'FV1200'
                model 'Andor', 'Dragonfly 200', 'spin'
                service '荧光成像', 'Fluorescence imaging', '固定或活细胞样品，注明荧光染料'
                service '活细胞成像', 'Live-cell imaging', '玻底培养皿'
                service '三维重构', 'Z-stack 3D reconstruction', '厚样品'
                service '荧光漂白恢复', 'FRAP', '活细胞样品'
                desc '配备405/488/561/640 nm激光和高灵敏度GaAsP检测器，可进行多色荧光成像、活细胞成像和三维重构。',
                        '405/488/561/640 nm lasers, GaAsP detectors; multicolour fluorescence, live-cell imaging, 3D reconstruction.'
            },
            type('two_photon', '010802', 'bio', 1, 4_000_000, 10_000_000, ['BIOPLAT', 'LIFE', 'MED']) {
                zh '双光子激光扫描显微镜'
                zh '双光子显微镜'
                zh '多光子激光扫描显微镜'
                zh '活体双光子成像系统'
                en 'Two-photon laser scanning microscope'
                en 'Multiphoton microscope'
                en 'In vivo two-photon imaging system'
                model 'Zeiss', 'LSM 880 NLO'
                model 'Zeiss', 'LSM 980 NLO'
                model 'Olympus', 'FVMPE-RS'
                model 'Nikon', 'A1R MP+'
                model 'Bruker', 'Ultima Investigator'
                model 'Leica', 'STELLARIS 8 DIVE'
                service '活体脑成像', 'In vivo brain imaging', '小鼠需提前植入颅窗'
                service '深层组织成像', 'Deep-tissue imaging', '厚组织样品'
                service '二次谐波成像', 'Second-harmonic generation (SHG) imaging', '胶原等样品'
                desc '配备飞秒激光器（680–1300 nm），成像深度可达800 μm，适用于活体动物深层组织成像。',
                        'Femtosecond laser (680–1300 nm), imaging depth up to 800 μm; deep-tissue imaging in live animals.'
            },
            type('optical', '010801', 'gen', 6, 150_000, 1_000_000, ['LIFE', 'MED', 'MSE', 'GEO', 'BIOPLAT']) {
                zh '正置荧光显微镜', 'upright'
                zh '倒置荧光显微镜', 'inverted'
                zh '研究级正置显微镜', 'upright'
                zh '金相显微镜', 'metal'
                zh '全自动荧光显微镜', '!metal'
                en 'Upright fluorescence microscope', 'upright'
                en 'Inverted fluorescence microscope', 'inverted'
                en 'Metallurgical microscope', 'metal'
                en 'Research optical microscope'
                model 'Olympus', 'BX53', 'upright', weight: 2
                model 'Olympus', 'IX73', 'inverted'
                model 'Olympus', 'IX83', 'inverted'
                model 'Zeiss', 'Axio Imager M2', 'upright'
                model 'Zeiss', 'Axio Observer 7', 'inverted'
                model 'Zeiss', 'Axio Imager.A2m', 'metal'
                model 'Nikon', 'Eclipse Ni-E', 'upright'
                model 'Nikon', 'Eclipse Ti2-E', 'inverted'
                model 'Leica', 'DM6 B', 'upright'
                model 'Leica', 'DMi8', 'inverted'
                model 'Olympus', 'GX53', 'metal'
                service '明场/荧光成像', 'Bright-field and fluorescence imaging', '载玻片或培养皿样品'
                service '金相组织观察', 'Metallographic observation', '抛光腐蚀后的金属样品', 'metal'
                desc '配备高灵敏度sCMOS相机和LED荧光光源，可进行明场、微分干涉和多通道荧光成像。',
                        'sCMOS camera and LED fluorescence illumination; bright-field, DIC and multichannel fluorescence.'
            },
            // ---------------------------------------------------------------- X-ray
            type('xrd', '010301', 'mat', 6, 600_000, 4_000_000, ['ATC', 'MSE', 'CHEM', 'GEO', 'PHYS']) {
                zh 'X射线衍射仪'
                zh 'X射线粉末衍射仪'
                zh '多晶X射线衍射仪'
                zh '粉末衍射仪'
                zh '高分辨X射线衍射仪', 'hr'
                zh '薄膜X射线衍射仪', 'hr'
                zh '台式X射线衍射仪', 'bench'
                en 'X-ray diffractometer'
                en 'X-ray Diffractometer (XRD)'
                en 'Powder X-ray diffractometer'
                en 'High-resolution X-ray diffractometer', 'hr'
                en 'Benchtop X-ray diffractometer', 'bench'
                model 'Bruker', 'D8 ADVANCE', '', weight: 2.5
                model 'Bruker', 'D8 DISCOVER', 'hr'
                model 'Bruker', 'D2 PHASER', 'bench', max: 900_000
                model 'Rigaku', 'SmartLab 9kW', 'hr', weight: 1.5
                model 'Rigaku', 'Ultima IV'
                model 'Rigaku', 'MiniFlex 600', 'bench', max: 900_000
                model 'Malvern Panalytical', 'Empyrean', '', weight: 1.5
                model 'Malvern Panalytical', "X'Pert3 Powder"
                model 'Malvern Panalytical', 'Aeris', 'bench', max: 900_000
                model 'Shimadzu', 'XRD-6100'
                service '粉末物相分析', 'Powder phase identification', '粉末 ≥ 0.5 g，粒度小于45 μm'
                service '晶胞参数精修', 'Lattice parameter (Rietveld) refinement', '高质量粉末样品'
                service '薄膜掠入射衍射', 'Grazing-incidence XRD (GIXRD)', '薄膜样品', 'hr'
                service '原位变温XRD', 'In-situ variable-temperature XRD', '注明温度程序'
                service '残余应力测试', 'Residual stress measurement', '块体样品'
                desc '配备Cu靶和LYNXEYE阵列探测器，可进行物相定性定量分析、结晶度和晶粒尺寸计算。',
                        'Cu tube and LYNXEYE array detector; qualitative and quantitative phase analysis, crystallinity and crystallite size.'
            },
            type('scxrd', '010301', 'chem', 1.5, 3_000_000, 6_000_000, ['ATC', 'CHEM', 'PHARM']) {
                zh '单晶X射线衍射仪'
                zh '单晶衍射仪'
                zh 'X射线单晶衍射仪'
                zh '单晶结构分析仪'
                en 'Single-crystal X-ray diffractometer'
                en 'Single crystal diffractometer (SC-XRD)'
                model 'Bruker', 'D8 VENTURE', '', weight: 2
                model 'Bruker', 'D8 QUEST'
                model 'Rigaku', 'XtaLAB Synergy-S', '', weight: 1.5
                model 'Rigaku', 'XtaLAB PRO'
                model 'Rigaku', 'SuperNova'
                service '单晶结构解析', 'Crystal structure determination', '单晶尺寸0.1–0.3 mm'
                service '绝对构型测定', 'Absolute configuration', '手性化合物单晶'
                service '低温数据收集', 'Low-temperature (100 K) data collection', '注明温度'
                desc '配备Mo/Cu双光源和PHOTON III探测器，用于小分子和配合物晶体结构测定。',
                        'Dual Mo/Cu sources and PHOTON III detector; structures of small molecules and complexes.'
            },
            type('saxs', '010399', 'mat', 0.8, 3_000_000, 8_000_000, ['ATC', 'MSE', 'CHEM', 'PHYS']) {
                zh '小角X射线散射仪'
                zh 'X射线小角散射仪'
                zh '小角散射仪'
                zh '小角/广角X射线散射仪'
                en 'Small-angle X-ray scattering system'
                en 'SAXS/WAXS system'
                en 'Small angle X-ray scattering instrument (SAXS)'
                model 'Xenocs', 'Xeuss 3.0'
                model 'Xenocs', 'Xeuss 2.0'
                model 'Anton Paar', 'SAXSpoint 2.0'
                model 'Anton Paar', 'SAXSess mc2'
                model 'Rigaku', 'NANOPIX'
                model 'Bruker', 'NANOSTAR'
                service '小角散射测试', 'SAXS measurement', '液体、粉末或薄膜样品'
                service '广角散射测试', 'WAXS measurement', '固体样品'
                service '掠入射小角散射', 'Grazing-incidence SAXS (GISAXS)', '薄膜样品'
                desc '用于纳米颗粒尺寸分布、高分子长周期和介孔结构的表征。',
                        'Nanoparticle size distribution, polymer long periods and mesoporous structure.'
            },
            type('xps', '010104', 'mat', 2, 3_000_000, 8_000_000, ['ATC', 'MSE', 'CHEM', 'PHYS']) {
                zh 'X射线光电子能谱仪'
                zh 'X射线光电子能谱'
                zh '光电子能谱仪'
                zh '多功能光电子能谱仪'
                en 'X-ray photoelectron spectrometer'
                en 'X-ray Photoelectron Spectrometer (XPS)'
                en 'X-ray photoelectron spectroscopy system'
                model 'Thermo Fisher', 'ESCALAB 250Xi', '', weight: 1.5
                model 'Thermo Fisher', 'ESCALAB Xi+', '', weight: 1.5
                model 'Thermo Fisher', 'K-Alpha'
                model 'Thermo Fisher', 'Nexsa'
                model 'Kratos', 'AXIS Supra+'
                model 'Kratos', 'AXIS Ultra DLD'
                model 'ULVAC-PHI', 'PHI 5000 VersaProbe III'
                model 'ULVAC-PHI', 'PHI Quantera II'
                service '全谱与高分辨窄谱', 'Survey and high-resolution spectra', '固体样品，尺寸小于1 cm，不含挥发物'
                service '深度剖析', 'Depth profiling (Ar ion etching)', '注明刻蚀深度'
                service '紫外光电子能谱', 'Ultraviolet photoelectron spectroscopy (UPS)', '导电样品'
                service '俄歇电子能谱', 'Auger electron spectroscopy (AES)', '导电样品'
                desc '单色化Al Kα X射线源，可进行表面元素组成、化学态分析和深度剖析。',
                        'Monochromated Al Kα source; surface composition, chemical states and depth profiles.'
            },
            type('xrf', '010302', 'mat', 2, 500_000, 3_000_000, ['ATC', 'GEO', 'MSE', 'ENV']) {
                zh 'X射线荧光光谱仪'
                zh '波长色散X射线荧光光谱仪', 'wd'
                zh '能量色散X射线荧光光谱仪', 'ed'
                zh 'X荧光光谱仪'
                en 'X-ray fluorescence spectrometer'
                en 'Wavelength-dispersive XRF spectrometer (WDXRF)', 'wd'
                en 'Energy-dispersive X-ray fluorescence spectrometer', 'ed'
                model 'Malvern Panalytical', 'Zetium', 'wd'
                model 'Malvern Panalytical', 'Axios mAX', 'wd'
                model 'Malvern Panalytical', 'Epsilon 4', 'ed', max: 900_000
                model 'Rigaku', 'ZSX Primus IV', 'wd'
                model 'Bruker', 'S8 TIGER', 'wd'
                model 'Thermo Fisher', "ARL PERFORM'X", 'wd'
                model 'Shimadzu', 'EDX-7000', 'ed', max: 900_000
                service '主次量元素分析', 'Major and minor element analysis', '粉末 ≥ 5 g或压片/熔片'
                service '无标样半定量分析', 'Standardless semi-quantitative analysis', '固体或粉末样品'
                service '熔片制样', 'Fused bead preparation', '粉末样品'
                desc '可测定从F到U的元素，广泛用于岩石、矿物、土壤和材料的成分分析。',
                        'Elements from F to U; composition of rocks, minerals, soils and materials.'
            },
            type('ct', '090201', 'gen', 1.5, 1_500_000, 12_000_000, ['ATC', 'MED', 'MSE', 'GEO']) {
                zh '显微CT', 'micro'
                zh '微焦点CT', 'micro'
                zh '小动物活体CT', 'vivo'
                zh 'X射线三维显微镜', 'xrm'
                zh '高分辨显微CT', 'micro'
                zh '工业CT', 'ind'
                en 'Micro-CT scanner', 'micro'
                en 'In vivo micro-CT', 'vivo'
                en '3D X-ray microscope (XRM)', 'xrm'
                en 'Industrial CT system', 'ind'
                model 'Bruker', 'SkyScan 1272', 'micro', weight: 2
                model 'Bruker', 'SkyScan 1276', 'vivo micro'
                model 'Bruker', 'SkyScan 2214', 'micro'
                model 'Zeiss', 'Xradia 520 Versa', 'xrm'
                model 'Zeiss', 'Xradia 620 Versa', 'xrm'
                model 'PerkinElmer', 'Quantum GX2', 'vivo micro'
                model 'Waygate', 'phoenix v|tome|x m', 'ind'
                model 'Scanco', 'vivaCT 80', 'vivo micro'
                model 'Scanco', 'µCT 100', 'micro'
                service '三维无损成像', '3D non-destructive imaging', '样品尺寸小于5 cm'
                service '骨形态计量分析', 'Bone morphometry', '离体骨样品或活体小鼠'
                service '孔隙结构分析', 'Pore structure analysis', '岩心或多孔材料'
                desc '空间分辨率可达0.5 μm，可对材料、岩心和生物样品进行无损三维成像。',
                        'Spatial resolution down to 0.5 μm; non-destructive 3D imaging of materials, rock cores and biological samples.'
            },
            // ---------------------------------------------------------------- magnetic resonance
            type('nmr', '010601', 'chem', 4, 1_500_000, 15_000_000, ['ATC', 'CHEM', 'PHARM', 'NMR']) {
                zh '{mhz}M核磁共振谱仪'
                zh '{mhz}MHz核磁共振波谱仪'
                zh '{mhz}兆超导核磁共振波谱仪'
                zh '核磁共振波谱仪'
                zh '核磁共振谱仪'
                zh '超导核磁共振谱仪'
                zh '全数字化超导核磁共振谱仪'
                zh '液体核磁共振波谱仪', '!solid'
                zh '固体核磁共振波谱仪', 'solid'
                zh '{mhz}M固体核磁共振谱仪', 'solid'
                en '{mhz} MHz NMR spectrometer'
                en 'NMR spectrometer'
                en 'Nuclear magnetic resonance spectrometer'
                en '{mhz}MHz superconducting NMR spectrometer'
                en 'Solid-state NMR spectrometer', 'solid'
                en '{mhz} MHz solid-state NMR spectrometer', 'solid'
                model 'Bruker', 'AVANCE III HD 400', '', mhz: 400, min: 2_000_000, max: 4_000_000, weight: 3
                model 'Bruker', 'AVANCE III 400', '', mhz: 400, min: 2_000_000, max: 3_500_000, weight: 2
                model 'Bruker', 'AVANCE NEO 400', '', mhz: 400, min: 2_500_000, max: 4_000_000, weight: 2
                model 'Bruker', 'AVANCE 300', '', mhz: 300, min: 1_500_000, max: 2_500_000
                model 'Bruker', 'AVANCE III 500', '', mhz: 500, min: 3_000_000, max: 5_000_000
                model 'Bruker', 'AVANCE NEO 500', '', mhz: 500, min: 3_500_000, max: 5_500_000
                model 'Bruker', 'AVANCE III HD 600', '', mhz: 600, min: 5_000_000, max: 9_000_000
                model 'Bruker', 'AVANCE NEO 600', '', mhz: 600, min: 6_000_000, max: 9_000_000, weight: 1.5
                model 'Bruker', 'AVANCE III HD 400 WB', 'solid', mhz: 400, min: 3_500_000, max: 5_000_000
                model 'Bruker', 'AVANCE NEO 600 WB', 'solid', mhz: 600, min: 7_000_000, max: 10_000_000
                model 'Bruker', 'AVANCE NEO 800', '', mhz: 800, min: 12_000_000, max: 15_000_000, weight: 0.3
                model 'JEOL', 'JNM-ECZ400S', '', mhz: 400, min: 2_000_000, max: 3_500_000
                model 'JEOL', 'JNM-ECZ600R', '', mhz: 600, min: 5_000_000, max: 8_000_000
                model 'Agilent', 'DD2 600', '', mhz: 600, min: 5_000_000, max: 8_000_000
                model 'Agilent', '400-MR', '', mhz: 400, min: 2_000_000, max: 3_000_000
                service '一维氢谱', '1D proton (1H) spectrum', '5–10 mg，溶于氘代溶剂，样品管由平台提供', '!solid'
                service '碳谱', '13C spectrum', '20–50 mg，溶于氘代溶剂', '!solid'
                service '二维谱', '2D NMR (COSY, HSQC, HMBC, NOESY)', '20 mg以上', '!solid'
                service '氟谱磷谱', '19F / 31P spectra', '注明待测核', '!solid'
                service '变温实验', 'Variable-temperature NMR', '注明温度范围'
                service '固体核磁魔角旋转', 'Solid-state CP-MAS', '粉末样品约100 mg', 'solid'
                desc '配备BBO宽带探头和自动进样器，可进行1H、13C、19F、31P一维及各类二维谱测试。',
                        'BBO broadband probe and autosampler; 1D 1H, 13C, 19F, 31P and 2D experiments.', '!solid'
                desc '配备4 mm和1.3 mm魔角旋转探头，用于固体材料结构表征。',
                        '4 mm and 1.3 mm MAS probes for solid materials.', 'solid'
            },
            type('epr', '010602', 'chem', 1, 1_500_000, 6_000_000, ['ATC', 'CHEM', 'PHYS']) {
                zh '电子顺磁共振波谱仪'
                zh '顺磁共振波谱仪'
                zh '电子自旋共振波谱仪'
                zh 'X波段电子顺磁共振谱仪'
                en 'Electron paramagnetic resonance spectrometer'
                en 'EPR spectrometer'
                en 'Electron spin resonance (ESR) spectrometer'
                model 'Bruker', 'EMXplus', '', weight: 2
                model 'Bruker', 'EMXnano'
                model 'Bruker', 'ELEXSYS E500'
                model 'Bruker', 'ELEXSYS E580'
                model 'JEOL', 'JES-FA200'
                model 'CIQTEK', 'EPR200-Plus'
                service '自由基检测', 'Free radical detection', '固体或溶液样品'
                service '变温EPR', 'Variable-temperature EPR', '注明温度'
                service '自旋捕获', 'Spin trapping', '提供捕获剂'
                desc '用于自由基、过渡金属离子和缺陷的检测与表征。', 'Radicals, transition-metal ions and defects.'
            },
            type('mri_animal', '090202', 'bio', 0.5, 10_000_000, 30_000_000, ['MED', 'BIOPLAT']) {
                zh '小动物核磁共振成像系统'
                zh '动物磁共振成像仪'
                zh '小动物磁共振成像仪'
                zh '7T小动物核磁共振成像仪', 't7'
                zh '超高场动物磁共振成像系统', 't9'
                en 'Small-animal MRI system'
                en 'Preclinical magnetic resonance imaging system'
                en '7 T small animal MRI', 't7'
                en '9.4 T preclinical MRI', 't9'
                model 'Bruker', 'BioSpec 70/20 USR', 't7', weight: 2
                model 'Bruker', 'BioSpec 94/30 USR', 't9'
                model 'Bruker', 'PharmaScan 70/16', 't7'
                model 'MR Solutions', 'MRS*DRYMAG 7017', 't7'
                service '小动物脑成像', 'Rodent brain imaging', '麻醉小鼠或大鼠'
                service '功能磁共振成像', 'Functional MRI (fMRI)', '提前预约'
                service '弥散张量成像', 'Diffusion tensor imaging (DTI)', '离体或活体样品'
                desc '用于小鼠、大鼠的解剖、功能和分子影像研究。', 'Anatomical, functional and molecular imaging of mice and rats.'
            },
            // ---------------------------------------------------------------- optical spectroscopy
            type('ftir', '010409', 'chem', 7, 200_000, 1_500_000, ['ATC', 'CHEM', 'MSE', 'PHARM', 'ENV']) {
                zh '傅里叶变换红外光谱仪'
                zh '红外光谱仪'
                zh '傅立叶红外光谱仪'
                zh '傅里叶红外光谱仪'
                zh '显微红外光谱仪', 'micro'
                en 'Fourier transform infrared spectrometer'
                en 'FTIR spectrometer'
                en 'Infrared spectrometer'
                en 'FT-IR microscope', 'micro'
                model 'Thermo Fisher', 'Nicolet iS50', '', weight: 2
                model 'Thermo Fisher', 'Nicolet iS20'
                model 'Thermo Fisher', 'Nicolet iS10', '', weight: 1.5
                model 'Bruker', 'VERTEX 70v'
                model 'Bruker', 'VERTEX 80v'
                model 'Bruker', 'INVENIO R'
                model 'Bruker', 'TENSOR II', '', weight: 1.5
                model 'Bruker', 'LUMOS II', 'micro'
                model 'Shimadzu', 'IRTracer-100'
                model 'PerkinElmer', 'Spectrum 3'
                model 'Agilent', 'Cary 660'
                service '透射红外', 'Transmission FTIR (KBr pellet)', '固体粉末约2 mg'
                service '衰减全反射', 'ATR-FTIR', '固体或液体样品'
                service '显微红外', 'Micro-FTIR', '微区样品', 'micro'
                service '原位漫反射红外', 'In-situ DRIFTS', '催化剂粉末'
                desc '光谱范围7800–350 cm⁻¹，分辨率优于0.4 cm⁻¹，配备ATR和漫反射附件。',
                        'Range 7800–350 cm⁻¹, resolution better than 0.4 cm⁻¹; ATR and diffuse-reflectance accessories.'
            },
            type('raman', '010410', 'mat', 4, 800_000, 3_000_000, ['ATC', 'MSE', 'CHEM', 'PHYS']) {
                zh '激光显微拉曼光谱仪'
                zh '拉曼光谱仪'
                zh '显微共聚焦拉曼光谱仪'
                zh '共聚焦显微拉曼光谱仪'
                zh '激光拉曼光谱仪'
                en 'Raman spectrometer'
                en 'Confocal Raman microscope'
                en 'Laser micro-Raman spectrometer'
                model 'HORIBA', 'LabRAM HR Evolution', '', weight: 2
                model 'HORIBA', 'LabRAM Odyssey'
                model 'HORIBA', 'XploRA PLUS'
                model 'Renishaw', 'inVia Reflex', '', weight: 2
                model 'Renishaw', 'inVia Qontor'
                model 'WITec', 'alpha300 R'
                model 'Thermo Fisher', 'DXR3xi'
                service '拉曼光谱测试', 'Raman spectrum', '固体、粉末或液体样品'
                service '拉曼面扫描成像', 'Raman mapping', '平整样品'
                service '变温拉曼', 'Variable-temperature Raman', '注明温度'
                service '光致发光光谱', 'Photoluminescence (PL)', '薄膜或粉末'
                desc '配备532/633/785 nm激光，空间分辨率优于1 μm，可进行拉曼光谱与成像。',
                        '532/633/785 nm lasers, spatial resolution better than 1 μm; Raman spectra and imaging.'
            },
            type('uvvis', '010401', 'chem', 7, 100_000, 1_200_000, ['ATC', 'CHEM', 'MSE', 'ENV', 'LIFE']) {
                zh '紫外可见分光光度计'
                zh '紫外-可见-近红外分光光度计', 'nir'
                zh '紫外可见近红外分光光度计', 'nir'
                zh '双光束紫外可见分光光度计'
                en 'UV-Vis spectrophotometer'
                en 'UV-Vis-NIR spectrophotometer', 'nir'
                en 'Ultraviolet-visible spectrophotometer'
                model 'Shimadzu', 'UV-2600i', '', weight: 2
                model 'Shimadzu', 'UV-3600i Plus', 'nir'
                model 'Shimadzu', 'UV-2700'
                model 'Agilent', 'Cary 5000', 'nir'
                model 'Agilent', 'Cary 60'
                model 'Agilent', 'Cary 3500'
                model 'PerkinElmer', 'LAMBDA 1050+', 'nir'
                model 'PerkinElmer', 'LAMBDA 365'
                model 'Hitachi', 'UH4150', 'nir'
                service '液体吸收光谱', 'Absorption spectrum (solution)', '溶液样品 ≥ 3 mL'
                service '固体漫反射', 'Diffuse reflectance (solids)', '粉末或薄膜'
                service '透过率反射率测试', 'Transmittance and reflectance', '薄膜或玻璃样品'
                desc '波长范围185–3300 nm，配备积分球附件。', 'Wavelength range 185–3300 nm; integrating sphere.', 'nir'
                desc '用于溶液和固体样品的紫外可见吸收光谱测定。', 'UV-visible absorption of solutions and solids.'
            },
            type('fluor', '010402', 'chem', 4, 200_000, 3_000_000, ['ATC', 'CHEM', 'MSE', 'LIFE']) {
                zh '荧光分光光度计'
                zh '稳态瞬态荧光光谱仪', 'tr'
                zh '荧光光谱仪'
                zh '瞬态荧光光谱仪', 'tr'
                zh '稳态/瞬态荧光光谱仪', 'tr'
                en 'Fluorescence spectrophotometer'
                en 'Steady-state and time-resolved fluorescence spectrometer', 'tr'
                en 'Fluorescence spectrometer'
                model 'Edinburgh Instruments', 'FLS1000', 'tr', min: 1_500_000
                model 'Edinburgh Instruments', 'FLS980', 'tr', min: 1_500_000
                model 'HORIBA', 'Fluorolog-3', 'tr', min: 1_200_000
                model 'HORIBA', 'FluoroMax-4', '', max: 800_000
                model 'Hitachi', 'F-7000', '', max: 600_000
                model 'Hitachi', 'F-4700', '', max: 600_000
                model 'Agilent', 'Cary Eclipse', '', max: 600_000
                model 'PerkinElmer', 'FL 6500', '', max: 600_000
                service '激发发射光谱', 'Excitation and emission spectra', '溶液或固体样品'
                service '荧光寿命', 'Fluorescence lifetime (TCSPC)', '注明激发波长', 'tr'
                service '绝对量子产率', 'Absolute quantum yield', '积分球测试', 'tr'
                service '低温荧光', 'Low-temperature photoluminescence', '注明温度', 'tr'
                desc '可测定稳态荧光光谱、荧光寿命和量子产率。', 'Steady-state spectra, lifetimes and quantum yields.', 'tr'
                desc '用于荧光物质的激发和发射光谱测定。', 'Excitation and emission spectra of fluorescent substances.'
            },
            type('cd', '010411', 'bio', 1, 600_000, 1_500_000, ['ATC', 'LIFE', 'CHEM', 'BIOPLAT']) {
                zh '圆二色光谱仪'
                zh '圆二色谱仪'
                en 'Circular dichroism spectrometer'
                en 'CD spectrometer'
                model 'Applied Photophysics', 'Chirascan V100'
                model 'Applied Photophysics', 'Chirascan plus'
                model 'JASCO', 'J-1500'
                model 'JASCO', 'J-815'
                service '蛋白二级结构分析', 'Protein secondary structure', '蛋白浓度0.1–1 mg/mL'
                service '手性分析', 'Chirality analysis', '溶液样品'
                service '热变性测定', 'Thermal denaturation', '注明温度范围'
                desc '用于蛋白质二级结构和手性分子的测定。', 'Protein secondary structure and chiral molecules.'
            },
            type('aas', '010403', 'chem', 3, 200_000, 700_000, ['ATC', 'ENV', 'CHEM', 'FOOD']) {
                zh '原子吸收分光光度计'
                zh '原子吸收光谱仪'
                zh '火焰-石墨炉原子吸收光谱仪'
                en 'Atomic absorption spectrophotometer'
                en 'Atomic absorption spectrometer (AAS)'
                model 'Agilent', '240FS AA'
                model 'Agilent', '280Z AA'
                model 'PerkinElmer', 'PinAAcle 900T'
                model 'Thermo Fisher', 'iCE 3500'
                model 'Shimadzu', 'AA-7000', '', weight: 2
                model 'Analytik Jena', 'contrAA 800'
                service '金属元素测定', 'Metal element determination', '消解后的溶液样品'
                service '石墨炉痕量分析', 'Graphite-furnace trace analysis', '注明元素'
                desc '配备火焰和石墨炉原子化器，用于金属元素含量测定。', 'Flame and graphite furnace; metal elements.'
            },
            type('icpoes', '010405', 'chem', 3, 400_000, 1_200_000, ['ATC', 'ENV', 'CHEM', 'GEO', 'FOOD']) {
                zh '电感耦合等离子体发射光谱仪'
                zh '电感耦合等离子体原子发射光谱仪'
                zh '全谱直读等离子体发射光谱仪'
                zh 'ICP光谱仪'
                zh '等离子体发射光谱仪'
                en 'Inductively coupled plasma optical emission spectrometer'
                en 'ICP-OES'
                en 'ICP atomic emission spectrometer (ICP-AES)'
                model 'Agilent', '5110', '', weight: 1.5
                model 'Agilent', '5800'
                model 'Agilent', '5900'
                model 'Thermo Fisher', 'iCAP PRO'
                model 'Thermo Fisher', 'iCAP 7400', '', weight: 1.5
                model 'PerkinElmer', 'Avio 500'
                model 'PerkinElmer', 'Optima 8300'
                model 'SPECTRO', 'ARCOS'
                model 'Shimadzu', 'ICPE-9820'
                service '常量微量元素分析', 'Major and trace element analysis', '消解后的溶液样品 ≥ 10 mL'
                service '微波消解', 'Microwave digestion', '固体样品'
                service '多元素同时测定', 'Simultaneous multi-element determination', '注明元素'
                desc '可同时测定70余种元素，检出限达ppb级。', 'Over 70 elements simultaneously, ppb detection limits.'
            },
            // ---------------------------------------------------------------- mass spectrometry
            type('gcms', '010201', 'chem', 5, 500_000, 3_000_000, ['ATC', 'CHEM', 'ENV', 'FOOD', 'PHARM']) {
                zh '气相色谱-质谱联用仪'
                zh '气质联用仪'
                zh '气相色谱质谱联用仪'
                zh '三重四极杆气质联用仪', 'tq'
                zh '气相色谱-三重四极杆质谱联用仪', 'tq'
                zh '气相色谱-飞行时间质谱联用仪', 'tof'
                en 'Gas chromatograph-mass spectrometer'
                en 'Gas Chromatography-Mass Spectrometry (GC-MS)'
                en 'GC-MS system'
                en 'GC-MS/MS triple quadrupole', 'tq'
                en 'GC time-of-flight mass spectrometer', 'tof'
                model 'Agilent', '7890B-5977B', '', weight: 3
                model 'Agilent', '8890-5977B', '', weight: 2
                model 'Agilent', '8890-7000D', 'tq'
                model 'Agilent', '7890A-5975C'
                model 'Thermo Fisher', 'TRACE 1310-ISQ 7000'
                model 'Thermo Fisher', 'TSQ 9000', 'tq'
                model 'Shimadzu', 'GCMS-QP2020 NX', '', weight: 2
                model 'Shimadzu', 'GCMS-TQ8040 NX', 'tq'
                model 'Shimadzu', 'GCMS-QP2010 Ultra'
                model 'PerkinElmer', 'Clarus SQ 8'
                model 'LECO', 'Pegasus BT', 'tof'
                service '挥发性有机物分析', 'Volatile organic compounds (VOC) analysis', '液体或气体样品'
                service '定性定量分析', 'Qualitative and quantitative analysis', '液体样品 ≥ 1 mL，注明溶剂'
                service '顶空进样分析', 'Headspace GC-MS', '固体或液体样品'
                service '热裂解气质分析', 'Pyrolysis GC-MS', '高分子样品'
                desc '配备EI源和NIST谱库，可对挥发性和半挥发性有机物进行定性定量分析。',
                        'EI source with NIST library; volatile and semi-volatile organics.'
            },
            type('lcms', '010201', 'chem', 6, 1_500_000, 8_000_000, ['ATC', 'CHEM', 'PHARM', 'BIOPLAT', 'ENV', 'FOOD']) {
                zh '液相色谱-质谱联用仪'
                zh '液质联用仪'
                zh '高效液相色谱-三重四极杆质谱联用仪', 'msms'
                zh '超高效液相色谱-串联质谱仪', 'msms'
                zh '超高效液相色谱-四极杆飞行时间质谱', 'qtof'
                zh '液相色谱-高分辨质谱联用仪', 'hrms'
                zh '静电场轨道阱高分辨质谱仪', 'orbitrap'
                zh '组合型四极杆轨道阱质谱仪', 'orbitrap'
                en 'Liquid chromatograph-mass spectrometer'
                en 'Liquid Chromatography-Mass Spectrometry (LC-MS)'
                en 'LC-MS/MS triple quadrupole', 'msms'
                en 'UHPLC-QTOF mass spectrometer', 'qtof'
                en 'LC-Orbitrap high-resolution mass spectrometer', 'orbitrap'
                model 'Waters', 'Xevo TQ-XS', 'msms'
                model 'Waters', 'Xevo G2-XS QTof', 'qtof hrms'
                model 'Thermo Fisher', 'Q Exactive Plus', 'orbitrap hrms', weight: 2
                model 'Thermo Fisher', 'Q Exactive HF-X', 'orbitrap hrms'
                model 'Thermo Fisher', 'Orbitrap Exploris 480', 'orbitrap hrms'
                model 'Thermo Fisher', 'Orbitrap Fusion Lumos', 'orbitrap hrms', min: 6_000_000
                model 'Thermo Fisher', 'TSQ Altis', 'msms'
                model 'SCIEX', 'Triple Quad 6500+', 'msms', weight: 1.5
                model 'SCIEX', 'QTRAP 6500+', 'msms', weight: 1.5
                model 'SCIEX', 'TripleTOF 6600+', 'qtof hrms'
                model 'Agilent', '6470 Triple Quad', 'msms'
                model 'Agilent', '6545 Q-TOF', 'qtof hrms'
                model 'Bruker', 'timsTOF Pro', 'qtof hrms'
                service '小分子定量分析', 'Small-molecule quantification (MRM)', '液体样品，注明目标物', 'msms'
                service '代谢组学分析', 'Untargeted metabolomics', '生物样品，冷冻运输', 'hrms'
                service '蛋白质组学分析', 'Proteomics (LC-MS/MS)', '酶解肽段样品', 'orbitrap'
                service '精确质量测定', 'Accurate mass measurement', '纯度较高的样品', 'hrms'
                service '药物及代谢物鉴定', 'Drug and metabolite identification', '注明结构信息'
                desc '配备UHPLC系统和ESI/APCI离子源，用于复杂样品中目标物的定性定量分析。',
                        'UHPLC with ESI/APCI sources; identification and quantification in complex matrices.'
            },
            type('icpms', '010202', 'chem', 3, 1_000_000, 5_000_000, ['ATC', 'ENV', 'GEO', 'CHEM']) {
                zh '电感耦合等离子体质谱仪'
                zh '电感耦合等离子体质谱'
                zh '三重四极杆电感耦合等离子体质谱仪', 'tq'
                zh '激光剥蚀电感耦合等离子体质谱仪', 'la'
                zh '多接收电感耦合等离子体质谱仪', 'mc'
                en 'Inductively coupled plasma mass spectrometer'
                en 'ICP-MS'
                en 'Inductively Coupled Plasma Mass Spectrometry (ICP-MS)'
                en 'Triple quadrupole ICP-MS', 'tq'
                en 'Laser ablation ICP-MS', 'la'
                en 'Multicollector ICP-MS', 'mc'
                model 'Agilent', '7900', '', weight: 2
                model 'Agilent', '7800'
                model 'Agilent', '8900', 'tq'
                model 'Thermo Fisher', 'iCAP RQ', '', weight: 1.5
                model 'Thermo Fisher', 'iCAP TQ', 'tq'
                model 'PerkinElmer', 'NexION 350X'
                model 'PerkinElmer', 'NexION 2000'
                model 'Analytik Jena', 'PlasmaQuant MS'
                model 'Agilent', '7900 + RESOlution SE', 'la'
                model 'Thermo Fisher', 'Neptune Plus', 'mc', code: '010203', min: 6_000_000, max: 9_000_000
                service '痕量元素分析', 'Trace element analysis', '消解后的溶液样品'
                service '同位素比值测定', 'Isotope ratio analysis', '注明元素'
                service '元素形态分析', 'Speciation (HPLC-ICP-MS)', '液体样品'
                service '单颗粒ICP-MS', 'Single-particle ICP-MS', '纳米颗粒悬浮液'
                desc '检出限达ppt级，用于环境、地质和生物样品中痕量元素及同位素分析。',
                        'ppt detection limits; trace elements and isotopes in environmental, geological and biological samples.'
            },
            type('maldi', '010201', 'bio', 1.2, 1_500_000, 6_000_000, ['ATC', 'BIOPLAT', 'CHEM', 'LIFE']) {
                zh '基质辅助激光解吸电离飞行时间质谱仪'
                zh '基质辅助激光解析电离飞行时间质谱仪'
                zh 'MALDI-TOF质谱仪'
                zh '飞行时间质谱仪'
                zh '基质辅助激光解吸电离串联飞行时间质谱仪', 'tof2'
                en 'MALDI-TOF mass spectrometer'
                en 'Matrix-assisted laser desorption/ionization time-of-flight mass spectrometer'
                en 'MALDI-TOF/TOF mass spectrometer', 'tof2'
                model 'Bruker', 'ultrafleXtreme', 'tof2', weight: 1.5
                model 'Bruker', 'rapifleX', 'tof2'
                model 'Bruker', 'autoflex maX', '', weight: 1.5
                model 'Bruker', 'microflex LRF'
                model 'SCIEX', '5800 MALDI TOF/TOF', 'tof2'
                model 'Shimadzu', 'MALDI-8020'
                service '蛋白多肽分子量测定', 'Protein and peptide molecular weight', '脱盐样品'
                service '聚合物分子量测定', 'Polymer molecular weight distribution', '注明基质'
                service '微生物鉴定', 'Microbial identification', '纯培养菌落'
                service '质谱成像', 'MALDI imaging', '组织切片'
                desc '用于蛋白、多肽、聚合物分子量测定和微生物鉴定。', 'Molecular weights of proteins, peptides and polymers; microbial ID.'
            },
            // ---------------------------------------------------------------- chromatography
            type('hplc', '010502', 'chem', 10, 300_000, 800_000, ['ATC', 'CHEM', 'PHARM', 'FOOD', 'ENV', 'LIFE']) {
                zh '高效液相色谱仪'
                zh '液相色谱仪'
                zh '超高效液相色谱仪', 'uhplc'
                zh '制备型高效液相色谱仪', 'prep'
                zh '半制备液相色谱仪', 'prep'
                en 'High-performance liquid chromatograph'
                en 'High Performance Liquid Chromatography (HPLC)'
                en 'Ultra-high performance liquid chromatograph (UHPLC)', 'uhplc'
                en 'Preparative HPLC', 'prep'
                model 'Agilent', '1260 Infinity II', '', weight: 3
                model 'Agilent', '1290 Infinity II', 'uhplc'
                model 'Agilent', '1200'
                model 'Waters', 'ACQUITY UPLC H-Class', 'uhplc', weight: 1.5
                model 'Waters', 'e2695 Alliance', '', weight: 1.5
                model 'Waters', 'ACQUITY Arc'
                model 'Waters', 'AutoPurification', 'prep'
                model 'Shimadzu', 'LC-20AD', '', weight: 2
                model 'Shimadzu', 'Nexera X2', 'uhplc'
                model 'Shimadzu', 'LC-2030C'
                model 'Thermo Fisher', 'Vanquish Flex', 'uhplc'
                model 'Thermo Fisher', 'UltiMate 3000', '', weight: 2
                service '含量测定', 'Assay and purity', '样品经0.22 μm滤膜过滤'
                service '杂质分析', 'Impurity profiling', '注明色谱条件'
                service '手性分离', 'Chiral separation', '提供手性柱信息'
                service '制备分离', 'Preparative separation', '样品量 ≥ 100 mg', 'prep'
                desc '配备二极管阵列检测器和示差检测器，可用于有机物分离、纯度和含量测定。',
                        'Diode-array and refractive-index detectors; separation, purity and assay of organics.'
            },
            type('gc', '010501', 'chem', 6, 150_000, 500_000, ['ATC', 'CHEM', 'ENV', 'FOOD', 'PHARM']) {
                zh '气相色谱仪'
                zh '全自动气相色谱仪'
                zh '顶空气相色谱仪', 'hs'
                en 'Gas chromatograph'
                en 'Gas Chromatograph (GC)'
                en 'Headspace gas chromatograph', 'hs'
                model 'Agilent', '8890', '', weight: 2
                model 'Agilent', '7890B', '', weight: 2
                model 'Agilent', '7820A'
                model 'Agilent', '8890 + 7697A', 'hs'
                model 'Shimadzu', 'GC-2030', '', weight: 1.5
                model 'Shimadzu', 'GC-2014'
                model 'Thermo Fisher', 'TRACE 1310'
                model 'Thermo Fisher', 'TRACE 1600'
                model 'PerkinElmer', 'Clarus 690'
                service '有机溶剂残留', 'Residual solvents', '液体或固体样品'
                service '气体成分分析', 'Gas composition analysis', '气袋采样'
                service '脂肪酸甲酯分析', 'Fatty acid methyl esters (FAME)', '衍生化样品'
                desc '配备FID和TCD检测器，用于挥发性有机物和气体组分分析。', 'FID and TCD detectors; volatile organics and gases.'
            },
            type('ic', '010503', 'chem', 3, 200_000, 700_000, ['ATC', 'ENV', 'CHEM', 'FOOD']) {
                zh '离子色谱仪'
                zh '高压离子色谱仪'
                en 'Ion chromatograph'
                en 'Ion Chromatography System (IC)'
                model 'Thermo Fisher', 'Dionex ICS-6000'
                model 'Thermo Fisher', 'Dionex ICS-5000+'
                model 'Thermo Fisher', 'Dionex Integrion HPIC'
                model 'Thermo Fisher', 'Dionex Aquion'
                model 'Metrohm', '930 Compact IC Flex', '', weight: 2
                model 'Metrohm', 'Eco IC'
                service '阴离子分析', 'Anion analysis (F⁻, Cl⁻, NO₃⁻, SO₄²⁻)', '水样经0.22 μm过滤'
                service '阳离子分析', 'Cation analysis', '水样'
                service '有机酸分析', 'Organic acids', '液体样品'
                desc '用于水样、土壤浸提液中阴阳离子的测定。', 'Anions and cations in water and soil extracts.'
            },
            type('gpc', '010505', 'chem', 2, 300_000, 1_500_000, ['ATC', 'CHEM', 'MSE']) {
                zh '凝胶渗透色谱仪'
                zh '凝胶色谱仪'
                zh '高温凝胶渗透色谱仪', 'ht'
                zh '多角度激光光散射-凝胶色谱联用仪', 'mals'
                en 'Gel permeation chromatograph'
                en 'Gel Permeation Chromatography (GPC)'
                en 'High-temperature GPC', 'ht'
                en 'GPC-MALS system', 'mals'
                model 'Agilent', 'PL-GPC 50'
                model 'Agilent', 'PL-GPC 220', 'ht'
                model 'Agilent', '1260 Infinity II GPC/SEC', '', weight: 2
                model 'Waters', 'ACQUITY APC'
                model 'Malvern Panalytical', 'OMNISEC'
                model 'Wyatt', 'DAWN HELEOS II', 'mals'
                model 'Tosoh', 'HLC-8320GPC'
                service '聚合物分子量及分布', 'Molecular weight and distribution', '溶于THF或DMF，浓度2 mg/mL'
                service '高温GPC测试', 'High-temperature GPC', '聚烯烃样品', 'ht'
                service '绝对分子量测定', 'Absolute molecular weight (MALS)', '提供dn/dc', 'mals'
                desc '用于高分子分子量及其分布的测定。', 'Molecular weight distributions of polymers.'
            },
            // ---------------------------------------------------------------- life sciences
            type('flow', '011012', 'bio', 4, 800_000, 4_000_000, ['BIOPLAT', 'LIFE', 'MED', 'PHARM']) {
                zh '流式细胞仪'
                zh '流式细胞分析仪'
                zh '多色流式细胞仪'
                zh '台式流式细胞仪'
                zh '全光谱流式细胞仪', 'spectral'
                en 'Flow cytometer'
                en 'Flow Cytometer (analyzer)'
                en 'Multicolor flow cytometer'
                en 'Spectral flow cytometer', 'spectral'
                model 'BD', 'FACSCanto II', '', weight: 2
                model 'BD', 'FACSCelesta'
                model 'BD', 'LSRFortessa', '', weight: 1.5
                model 'BD', 'FACSLyric'
                model 'BD', 'FACSCalibur', '', max: 1_200_000
                model 'Beckman Coulter', 'CytoFLEX S', '', weight: 2
                model 'Beckman Coulter', 'CytoFLEX LX'
                model 'Cytek', 'Aurora', 'spectral'
                model 'Thermo Fisher', 'Attune NxT'
                model 'Agilent', 'NovoCyte'
                service '细胞表型分析', 'Immunophenotyping', '单细胞悬液，过滤后上机'
                service '细胞周期检测', 'Cell cycle analysis', 'PI染色样品'
                service '细胞凋亡检测', 'Apoptosis (Annexin V/PI)', '染色后1小时内上机'
                service '多色流式分析', 'Multicolor flow analysis', '提供单染对照'
                desc '配备3激光10色检测通道，可进行细胞表型、周期、凋亡等多参数分析。',
                        'Three lasers, ten colours; phenotyping, cell cycle, apoptosis and other multiparameter analysis.'
            },
            type('sorter', '011012', 'bio', 1.5, 2_000_000, 6_000_000, ['BIOPLAT', 'LIFE', 'MED']) {
                zh '流式细胞分选仪'
                zh '高速流式细胞分选仪'
                zh '流式分选仪'
                zh '超高速流式细胞分选系统'
                zh '细胞分选仪'
                en 'Flow cytometry cell sorter'
                en 'High-speed cell sorter'
                en 'Fluorescence-activated cell sorter (FACS)'
                model 'BD', 'FACSAria III', '', weight: 2.5
                model 'BD', 'FACSAria Fusion', '', weight: 1.5
                model 'BD', 'FACSAria II'
                model 'BD', 'FACSMelody'
                model 'Beckman Coulter', 'MoFlo Astrios EQ'
                model 'Beckman Coulter', 'CytoFLEX SRT'
                model 'Sony', 'SH800S'
                model 'Sony', 'MA900'
                service '细胞分选', 'Cell sorting', '无菌单细胞悬液，浓度1×10⁷/mL'
                service '单细胞分选', 'Single-cell index sorting', '提供96孔板'
                service '无菌分选', 'Aseptic sorting', '提前一天预约'
                desc '四激光高速分选，可进行四路分选和单细胞分选，用于干细胞、免疫细胞的分离纯化。',
                        'Four-laser high-speed sorting, four-way and single-cell; stem and immune cell isolation.'
            },
            type('qpcr', '011011', 'bio', 5, 200_000, 800_000, ['BIOPLAT', 'LIFE', 'MED', 'AGRI']) {
                zh '实时荧光定量PCR仪'
                zh '荧光定量PCR仪'
                zh '实时定量PCR系统'
                zh '数字PCR仪', 'digital'
                en 'Real-time PCR system'
                en 'Real-time quantitative PCR instrument (qPCR)'
                en 'Digital PCR system', 'digital'
                model 'Bio-Rad', 'CFX96 Touch', '', weight: 2.5
                model 'Bio-Rad', 'CFX384 Touch'
                model 'Bio-Rad', 'CFX Opus 96'
                model 'Applied Biosystems', 'QuantStudio 5', '', weight: 2
                model 'Applied Biosystems', 'QuantStudio 7 Flex'
                model 'Applied Biosystems', 'QuantStudio 6 Pro'
                model 'Applied Biosystems', 'StepOnePlus', '', weight: 1.5
                model 'Applied Biosystems', '7500 Fast'
                model 'Roche', 'LightCycler 480 II', '', weight: 1.5
                model 'Roche', 'LightCycler 96'
                model 'Bio-Rad', 'QX200', 'digital'
                service '基因表达定量', 'Gene expression quantification', 'cDNA样品'
                service '基因分型', 'SNP genotyping', 'DNA样品'
                service '拷贝数分析', 'Copy number analysis', 'DNA样品'
                service '高分辨熔解曲线', 'High-resolution melting (HRM)', '注明引物'
                desc '96孔板，五色荧光通道，用于基因表达定量和基因分型。', '96-well, five channels; gene expression and genotyping.'
            },
            type('seq', '011007', 'bio', 2, 500_000, 15_000_000, ['BIOPLAT', 'LIFE', 'MED', 'AGRI']) {
                zh '高通量测序仪', 'ngs'
                zh '基因测序仪'
                zh '二代测序仪', 'ngs'
                zh 'DNA测序仪'
                zh '第三代测序仪', 'long'
                zh '毛细管电泳测序仪', 'sanger'
                zh '遗传分析仪', 'sanger'
                en 'Next-generation sequencer (NGS)', 'ngs'
                en 'High-throughput DNA sequencer', 'ngs'
                en 'Genetic analyzer (capillary sequencer)', 'sanger'
                en 'Long-read sequencer', 'long'
                en 'DNA sequencer'
                model 'Illumina', 'NovaSeq 6000', 'ngs', min: 7_000_000, max: 10_000_000
                model 'Illumina', 'NextSeq 2000', 'ngs', min: 2_500_000, max: 4_000_000
                model 'Illumina', 'NextSeq 550', 'ngs', min: 2_000_000, max: 3_000_000
                model 'Illumina', 'MiSeq', 'ngs', min: 1_000_000, max: 1_500_000, weight: 1.5
                model 'MGI', 'DNBSEQ-T7', 'ngs', min: 6_000_000, max: 9_000_000
                model 'MGI', 'MGISEQ-2000', 'ngs', min: 2_500_000, max: 4_000_000
                model 'MGI', 'DNBSEQ-G400', 'ngs', min: 2_500_000, max: 4_000_000
                model 'Thermo Fisher', 'Ion S5', 'ngs', min: 1_000_000, max: 2_000_000
                model 'Applied Biosystems', '3730xl', 'sanger', min: 2_000_000, max: 3_000_000, weight: 1.5
                model 'Applied Biosystems', 'SeqStudio', 'sanger', min: 500_000, max: 900_000
                model 'PacBio', 'Sequel IIe', 'long', min: 8_000_000, max: 12_000_000
                model 'PacBio', 'Revio', 'long', min: 10_000_000, max: 15_000_000
                model 'Oxford Nanopore', 'PromethION 24', 'long', min: 2_500_000, max: 4_000_000
                model 'Oxford Nanopore', 'GridION', 'long', min: 600_000, max: 1_000_000
                service '全基因组测序', 'Whole-genome sequencing', '基因组DNA ≥ 1 μg', 'ngs'
                service '转录组测序', 'RNA-seq', 'RNA RIN ≥ 7', 'ngs'
                service '扩增子测序', 'Amplicon (16S) sequencing', 'PCR产物', 'ngs'
                service 'Sanger测序', 'Sanger sequencing', '质粒或PCR产物', 'sanger'
                service '长读长测序', 'Long-read sequencing', '高分子量DNA', 'long'
                desc '用于基因组、转录组和宏基因组测序。', 'Genome, transcriptome and metagenome sequencing.', '!sanger'
                desc '96道毛细管电泳，用于Sanger测序和片段分析。', '96-capillary electrophoresis; Sanger sequencing and fragment analysis.', 'sanger'
            },
            type('ucf', '011023', 'bio', 2.5, 400_000, 3_000_000, ['BIOPLAT', 'LIFE', 'MED']) {
                zh '超速离心机'
                zh '落地式超速离心机', 'floor'
                zh '台式超速离心机', 'bench'
                zh '分析型超速离心机', 'auc'
                zh '超高速冷冻离心机', 'floor'
                en 'Ultracentrifuge'
                en 'Floor-standing ultracentrifuge', 'floor'
                en 'Tabletop ultracentrifuge', 'bench'
                en 'Analytical ultracentrifuge (AUC)', 'auc'
                model 'Beckman Coulter', 'Optima XPN-100', 'floor', weight: 2.5
                model 'Beckman Coulter', 'Optima XE-90', 'floor'
                model 'Beckman Coulter', 'Optima MAX-XP', 'bench', max: 900_000
                model 'Beckman Coulter', 'Optima AUC', 'auc', min: 2_500_000
                model 'Thermo Fisher', 'Sorvall WX+ 100', 'floor'
                model 'Thermo Fisher', 'Sorvall MTX 150', 'bench', max: 900_000
                model 'Eppendorf Himac', 'CP100NX', 'floor'
                model 'Eppendorf Himac', 'CS150NX', 'bench', max: 900_000
                service '密度梯度离心', 'Density gradient centrifugation', '自备离心管'
                service '外泌体分离', 'Exosome isolation', '细胞上清 ≥ 30 mL'
                service '沉降速度分析', 'Sedimentation velocity (AUC)', '蛋白样品', 'auc'
                desc '最高转速100,000 rpm，用于亚细胞组分、病毒和外泌体的分离。',
                        'Up to 100,000 rpm; subcellular fractions, viruses and exosomes.'
            },
            type('plate', '011005', 'bio', 5, 200_000, 1_200_000, ['BIOPLAT', 'LIFE', 'MED', 'PHARM']) {
                zh '多功能酶标仪'
                zh '酶标仪'
                zh '多功能微孔板检测仪'
                zh '全波长酶标仪'
                en 'Multimode microplate reader'
                en 'Microplate reader'
                model 'Molecular Devices', 'SpectraMax i3x'
                model 'Molecular Devices', 'SpectraMax M5', '', weight: 1.5
                model 'Molecular Devices', 'SpectraMax iD5'
                model 'BioTek', 'Synergy H1', '', weight: 2
                model 'BioTek', 'Cytation 5'
                model 'Tecan', 'Spark'
                model 'Tecan', 'Infinite M200 PRO'
                model 'PerkinElmer', 'EnVision 2105'
                model 'BMG LABTECH', 'CLARIOstar Plus'
                service '吸光度检测', 'Absorbance', '96或384孔板'
                service '荧光强度检测', 'Fluorescence intensity', '黑色微孔板'
                service '化学发光检测', 'Luminescence', '白色微孔板'
                service '时间分辨荧光', 'Time-resolved fluorescence (TR-FRET)', '注明试剂盒'
                desc '可进行吸光度、荧光强度、化学发光和时间分辨荧光检测。', 'Absorbance, fluorescence, luminescence and TRF.'
            },
            type('itc', '010999', 'bio', 0.8, 600_000, 1_200_000, ['BIOPLAT', 'LIFE', 'CHEM']) {
                zh '等温滴定微量热仪'
                zh '等温滴定量热仪'
                en 'Isothermal titration calorimeter'
                en 'Isothermal Titration Calorimeter (ITC)'
                model 'Malvern Panalytical', 'MicroCal PEAQ-ITC', '', weight: 2
                model 'Malvern Panalytical', 'MicroCal iTC200'
                model 'TA Instruments', 'Affinity ITC'
                model 'TA Instruments', 'Nano ITC'
                service '结合常数与热力学参数', 'Binding affinity and thermodynamics', '蛋白 ≥ 300 μL，配体溶于同一缓冲液'
                desc '用于生物分子相互作用的热力学表征。', 'Thermodynamics of biomolecular interactions.'
            },
            // ---------------------------------------------------------------- thermal, surface, particles
            type('tga', '010903', 'mat', 4, 200_000, 1_000_000, ['ATC', 'MSE', 'CHEM']) {
                zh '热重分析仪'
                zh '热失重分析仪'
                zh '同步热分析仪', 'sta'
                zh '热重-差热综合热分析仪', 'sta'
                zh '热重-红外联用仪', 'tgir'
                en 'Thermogravimetric analyzer'
                en 'Thermogravimetric Analyzer (TGA)'
                en 'Simultaneous thermal analyzer (TGA/DSC)', 'sta'
                en 'TGA-FTIR system', 'tgir'
                model 'NETZSCH', 'TG 209 F1 Libra'
                model 'NETZSCH', 'STA 449 F3 Jupiter', 'sta', weight: 2
                model 'Mettler Toledo', 'TGA/DSC 3+', 'sta', weight: 2
                model 'Mettler Toledo', 'TGA 2'
                model 'TA Instruments', 'TGA 5500'
                model 'TA Instruments', 'TGA 55'
                model 'TA Instruments', 'Discovery SDT 650', 'sta'
                model 'PerkinElmer', 'TGA 8000'
                model 'PerkinElmer', 'STA 8000', 'sta'
                model 'NETZSCH', 'TG 209 F1 + TENSOR II', 'tgir'
                service '热稳定性分析', 'Thermal stability', '固体样品5–10 mg'
                service '组分含量分析', 'Composition (weight loss steps)', '注明气氛'
                service '热重-红外联用', 'TG-FTIR evolved gas analysis', '注明温度程序', 'tgir'
                desc '温度范围室温–1500 °C，可在氮气、空气或氩气气氛下测试。', 'RT–1500 °C under nitrogen, air or argon.'
            },
            type('dsc', '010902', 'mat', 4, 200_000, 900_000, ['ATC', 'MSE', 'CHEM', 'PHARM']) {
                zh '差示扫描量热仪'
                zh '示差扫描量热仪'
                zh '差示扫描量热计'
                zh '调制差示扫描量热仪', 'mdsc'
                en 'Differential scanning calorimeter'
                en 'Differential Scanning Calorimeter (DSC)'
                en 'Modulated DSC', 'mdsc'
                model 'TA Instruments', 'DSC 2500', 'mdsc', weight: 1.5
                model 'TA Instruments', 'DSC 250', 'mdsc'
                model 'TA Instruments', 'Q2000', 'mdsc', weight: 1.5
                model 'TA Instruments', 'Q20'
                model 'NETZSCH', 'DSC 214 Polyma', '', weight: 1.5
                model 'NETZSCH', 'DSC 204 F1 Phoenix'
                model 'Mettler Toledo', 'DSC 3', '', weight: 1.5
                model 'Mettler Toledo', 'DSC 3+'
                model 'PerkinElmer', 'DSC 8000'
                model 'PerkinElmer', 'DSC 4000'
                service '玻璃化转变温度测定', 'Glass transition (Tg)', '固体样品5–10 mg'
                service '熔融结晶行为', 'Melting and crystallization', '注明温度程序'
                service '比热容测定', 'Specific heat capacity', '片状样品'
                service '氧化诱导期', 'Oxidation induction time (OIT)', '高分子样品'
                desc '温度范围−90–725 °C，用于高分子、药物的热转变分析。', '−90 to 725 °C; thermal transitions of polymers and drugs.'
            },
            type('bet', '020503', 'mat', 3, 300_000, 1_200_000, ['ATC', 'MSE', 'CHEM', 'ENV']) {
                zh '比表面积及孔隙度分析仪', '!chemi'
                zh '全自动比表面积分析仪', '!chemi'
                zh '物理吸附仪', '!chemi'
                zh '比表面及孔径分析仪', '!chemi'
                zh '全自动气体吸附分析仪', '!chemi'
                zh '化学吸附仪', 'chemi'
                zh '全自动程序升温化学吸附仪', 'chemi'
                en 'Surface area and porosity analyzer', '!chemi'
                en 'Specific surface area analyzer (BET)', '!chemi'
                en 'Gas sorption analyzer', '!chemi'
                en 'Chemisorption analyzer', 'chemi'
                en 'Automated chemisorption analyzer (TPR/TPD)', 'chemi'
                model 'Micromeritics', 'ASAP 2460', '', weight: 2
                model 'Micromeritics', 'ASAP 2020 Plus', '', weight: 1.5
                model 'Micromeritics', 'TriStar II 3020'
                model 'Micromeritics', '3Flex'
                model 'Micromeritics', 'AutoChem II 2920', 'chemi'
                model 'Quantachrome', 'Autosorb-iQ', '', weight: 1.5
                model 'Quantachrome', 'NOVA 4200e'
                model 'Anton Paar', 'Autosorb iQ-C', 'chemi'
                service 'BET比表面积', 'BET specific surface area', '粉末 ≥ 100 mg，提前干燥', '!chemi'
                service '孔径分布分析', 'Pore size distribution (BJH/DFT)', '注明脱气温度', '!chemi'
                service '微孔分析', 'Micropore analysis', '分子筛、MOF等样品', '!chemi'
                service '程序升温脱附', 'Temperature-programmed desorption (TPD)', '催化剂样品', 'chemi'
                desc '基于氮气物理吸附，测定比表面积、孔容和孔径分布。', 'N₂ physisorption; surface area, pore volume and size distribution.', '!chemi'
                desc '用于催化剂的程序升温还原、脱附和脉冲化学吸附。', 'TPR, TPD and pulse chemisorption of catalysts.', 'chemi'
            },
            type('psa', '020502', 'mat', 3, 200_000, 800_000, ['ATC', 'MSE', 'CHEM', 'PHARM']) {
                zh '激光粒度分析仪'
                zh '激光粒度仪'
                zh '激光衍射粒度分析仪'
                zh '粒度分布测量仪'
                en 'Laser diffraction particle size analyzer'
                en 'Particle size analyzer'
                en 'Laser Particle Size Analyzer'
                model 'Malvern Panalytical', 'Mastersizer 3000', '', weight: 3
                model 'Malvern Panalytical', 'Mastersizer 2000'
                model 'HORIBA', 'LA-960V2'
                model 'Beckman Coulter', 'LS 13 320'
                model 'Bettersize', 'Bettersize 2600'
                model 'Microtrac', 'S3500'
                model 'Sympatec', 'HELOS'
                service '湿法粒度测试', 'Wet dispersion particle size', '粉末 ≥ 1 g'
                service '干法粒度测试', 'Dry dispersion particle size', '粉末 ≥ 5 g'
                desc '测量范围0.01–3500 μm，可进行干法和湿法粒度分布测定。', 'Range 0.01–3500 μm, wet and dry dispersion.'
            },
            type('zeta', '020502', 'mat', 3, 300_000, 1_000_000, ['ATC', 'MSE', 'CHEM', 'PHARM', 'LIFE']) {
                zh '纳米粒度及Zeta电位分析仪'
                zh 'Zeta电位分析仪'
                zh '纳米粒度电位仪'
                zh '动态光散射仪'
                en 'Zeta potential and nanoparticle size analyzer'
                en 'Zeta potential analyzer'
                en 'Dynamic light scattering (DLS) analyzer'
                model 'Malvern Panalytical', 'Zetasizer Nano ZS', '', weight: 3
                model 'Malvern Panalytical', 'Zetasizer Ultra'
                model 'Malvern Panalytical', 'Zetasizer Pro'
                model 'Anton Paar', 'Litesizer 500'
                model 'Brookhaven', 'NanoBrook 90Plus PALS'
                model 'HORIBA', 'SZ-100V2'
                service 'Zeta电位测定', 'Zeta potential', '分散液样品 ≥ 1 mL'
                service '纳米粒径测定', 'DLS particle size', '稀释后的分散液'
                service '分子量测定', 'Molecular weight (SLS)', '蛋白或聚合物溶液'
                desc '基于动态光散射和电泳光散射，测定纳米颗粒粒径和Zeta电位。', 'DLS and ELS; nanoparticle size and zeta potential.'
            },
            type('ea', '019900', 'chem', 2, 300_000, 900_000, ['ATC', 'CHEM', 'ENV', 'AGRI']) {
                zh '元素分析仪'
                zh '有机元素分析仪'
                zh 'CHNS元素分析仪'
                zh '碳氢氮硫元素分析仪'
                en 'Elemental analyzer'
                en 'Organic elemental analyzer (CHNS/O)'
                model 'Elementar', 'vario EL cube', '', weight: 2
                model 'Elementar', 'UNICUBE'
                model 'Elementar', 'vario MICRO cube'
                model 'Thermo Fisher', 'FlashSmart'
                model 'Thermo Fisher', 'Flash 2000'
                model 'PerkinElmer', '2400 Series II'
                service 'CHNS含量测定', 'CHNS content', '干燥样品2–5 mg'
                service '氧含量测定', 'Oxygen content', '干燥样品'
                desc '用于有机物和材料中C、H、N、S、O含量的测定。', 'C, H, N, S and O in organics and materials.'
            },
            // ---------------------------------------------------------------- mechanics
            type('rheo', '020106', 'mat', 2, 400_000, 1_500_000, ['MSE', 'CHEM', 'ATC', 'FOOD']) {
                zh '旋转流变仪'
                zh '高级旋转流变仪'
                zh '流变仪'
                zh '毛细管流变仪', 'cap'
                zh '应力控制流变仪'
                en 'Rotational rheometer'
                en 'Advanced rheometer'
                en 'Capillary rheometer', 'cap'
                model 'TA Instruments', 'DHR-2', '', weight: 1.5
                model 'TA Instruments', 'DHR-3'
                model 'TA Instruments', 'ARES-G2'
                model 'Anton Paar', 'MCR 302e', '', weight: 2
                model 'Anton Paar', 'MCR 502'
                model 'Anton Paar', 'MCR 702e'
                model 'Malvern Panalytical', 'Kinexus ultra+'
                model 'Thermo Fisher', 'HAAKE MARS 60'
                model 'Göttfert', 'RG 20', 'cap'
                service '稳态剪切粘度', 'Steady shear viscosity', '液体或熔体样品'
                service '动态振荡测试', 'Oscillatory (frequency/amplitude sweep)', '注明温度'
                service '温度扫描', 'Temperature sweep', '注明升温速率'
                service '蠕变回复', 'Creep and recovery', '固体或凝胶'
                desc '用于高分子熔体、溶液、凝胶和食品的流变性能表征。', 'Rheology of melts, solutions, gels and foods.'
            },
            type('utm', '020101', 'mat', 3, 150_000, 2_500_000, ['MECH', 'MSE', 'ATC']) {
                zh '万能材料试验机'
                zh '电子万能试验机'
                zh '电子万能材料试验机'
                zh '电液伺服万能试验机', 'servo'
                zh '高温万能试验机', 'ht'
                en 'Universal testing machine'
                en 'Electromechanical universal testing machine'
                en 'Servo-hydraulic universal testing machine', 'servo'
                model 'Instron', '5967', '', weight: 2
                model 'Instron', '5982'
                model 'Instron', '3367'
                model 'Instron', '8801', 'servo'
                model 'ZwickRoell', 'Z050', '', weight: 1.5
                model 'ZwickRoell', 'Z100'
                model 'ZwickRoell', 'Z020'
                model 'MTS', 'Criterion C45.105'
                model 'MTS', 'Landmark 370.10', 'servo'
                model 'Shimadzu', 'AGX-V 100kN'
                model 'Shimadzu', 'AG-IC 50kN'
                model 'SANS', 'CMT5105', '', max: 400_000
                model 'SANS', 'UTM5105', 'ht', max: 500_000
                service '拉伸试验', 'Tensile test', '标准哑铃型试样'
                service '压缩试验', 'Compression test', '圆柱或立方体试样'
                service '弯曲试验', 'Flexural (three-point bending) test', '矩形试样'
                service '高温拉伸试验', 'High-temperature tensile test', '注明温度', 'ht'
                desc '最大载荷100 kN，可进行拉伸、压缩、弯曲、剪切等力学性能测试。', 'Up to 100 kN; tension, compression, bending, shear.'
            },
            type('nanoind', '020102', 'mat', 1, 1_000_000, 4_000_000, ['MSE', 'MECH', 'ATC']) {
                zh '纳米压痕仪'
                zh '纳米力学测试系统'
                zh '纳米压痕测试系统'
                zh '原位纳米力学测试系统', 'insitu'
                en 'Nanoindenter'
                en 'Nanomechanical test system'
                en 'Nanoindentation system'
                en 'In-situ SEM nanomechanical test system', 'insitu'
                model 'Bruker', 'Hysitron TI 980', '', weight: 2
                model 'Bruker', 'Hysitron TI Premier'
                model 'Bruker', 'Hysitron PI 88', 'insitu'
                model 'KLA', 'Nano Indenter G200', '', weight: 1.5
                model 'KLA', 'iNano'
                model 'Anton Paar', 'UNHT3'
                model 'Alemnis', 'ASA', 'insitu'
                service '硬度与弹性模量', 'Hardness and elastic modulus', '表面抛光样品'
                service '纳米划痕', 'Nanoscratch', '薄膜样品'
                service '纳米动态力学', 'Nano-DMA', '高分子样品'
                desc '载荷分辨率优于1 nN，用于薄膜和微区力学性能测试。', 'Load resolution better than 1 nN; films and micro-regions.'
            },
    ]

    static final Map<String, InstrumentType> BY_KEY = ALL.collectEntries { [(it.key): it] }
}
