// Messages of the municipality's home page; the English ones must have the same keys (the compiler checks).
export const territoryEs = {
  home: {
    population: 'Población',
    area: 'Superficie (geodésica)',
    areaPlanar: '{{km2}} km² en EPSG:6372, como en las tablas de INEGI',
    areaNote: 'Brújula mide sobre el elipsoide (geodésica); INEGI publica la superficie plana en EPSG:6372, alrededor de 1 % menor.',
    units: 'Unidades territoriales',
    territory: 'Territorio',
    layers: 'Capas',
    modules: 'Subsistemas de planeación',
    modulesText: {
      indicators: 'Sistema Municipal de Indicadores: fichas técnicas, semáforos y comparativos.',
      plans: 'Plan Visión 2040, PMD, PMOT y programas sectoriales, alineados al PED, PND y ODS.',
      programs: 'POA, presupuesto por resultados y obra pública transparente.',
      map: 'Visor de mapas con capas descargables, obras del POA, indicadores por colonia y llamadas de emergencia.',
      participation: 'PROPONLE, presupuesto participativo y reportes ciudadanos.',
      evaluation: 'Avance de metas, Consejo Ciudadano y contraloría social.',
    },
    noMunicipality:
      'Esta instalación aún no tiene municipios activos. Una persona administradora puede importar el territorio desde la línea de comandos o la API.',
    mapLabel: 'Mapa del territorio de {{name}}',
    search: 'Buscar localidad o colonia',
    noResults: 'Sin resultados',
  },
};

export const territoryEn: typeof territoryEs = {
  home: {
    population: 'Population',
    area: 'Area (geodesic)',
    areaPlanar: "{{km2}} km² in EPSG:6372, as in INEGI's tables",
    areaNote: 'Brújula measures on the ellipsoid (geodesic); INEGI publishes the planar area in EPSG:6372, about 1 % smaller.',
    units: 'Territorial units',
    territory: 'Territory',
    layers: 'Layers',
    modules: 'Planning subsystems',
    modulesText: {
      indicators: 'Municipal Indicator System: technical sheets, traffic lights and benchmarks.',
      plans: 'Vision 2040, municipal development and land-use plans, aligned to state, national plans and SDGs.',
      programs: 'Annual operating programs, results-based budgets and transparent public works.',
      map: 'Map viewer with downloadable layers, POA works, indicators by neighbourhood and emergency calls.',
      participation: 'PROPONLE proposals, participatory budgeting and citizen reports.',
      evaluation: 'Progress on targets, Citizen Council and social oversight.',
    },
    noMunicipality:
      'This installation has no active municipalities yet. An administrator can import the territory from the command line or the API.',
    mapLabel: 'Map of the territory of {{name}}',
    search: 'Search locality or neighbourhood',
    noResults: 'No results',
  },
};
