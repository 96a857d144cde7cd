/**
 * DATOS DE DEMOSTRACIÓN — Eje 1 "Gobierno Abierto y de Resultados" of the Plan Estatal de Desarrollo
 * 2017–2021 of Zacatecas, as published (seed 002): objetivo general, objetivos específicos 1.1–1.7,
 * strategies, lines of action and the eje's METAS (grouped by objective). Public government text.
 */

export interface PedObjetivo {
  codigo: string;
  titulo: string;
  objetivo: string;
  estrategias: { codigo: string; titulo: string; lineas: string[] }[];
}

export const PED_OBJETIVO_GENERAL =
  'Construir un Gobierno Abierto y de Resultados basado en los principios de honestidad, cooperación, complementariedad y corresponsabilidad con los actores públicos, privados y sociedad civil, para fortalecer el esquema de gobernanza, como un modelo de promoción del desarrollo de las y los zacatecanos.';

export const PED_OBJETIVOS: PedObjetivo[] = [
  {
    codigo: '1.1',
    titulo: 'Democracia y participación ciudadana',
    objetivo:
      'Fortalecer la Gobernanza en el Estado de Zacatecas, a través de la construcción de ciudadanía para el involucramiento pleno de la sociedad civil e manera individual y colectiva, la colaboración estrecha con los poderes del Estado y órdenes de gobierno, y el fomento a la certeza jurídica como mecanismo para legitimar la acción gubernamental.',
    estrategias: [
      {
        codigo: '1.1.1',
        titulo: 'Fomentar la participación e involucramiento de la sociedad en los asuntos públicos',
        lineas: [
          'Fortalecer las capacidades y espacios de participación de las instituciones de educación superior y la sociedad civil organizada, en el ejercicio de la gestión pública',
          'Implementar los presupuestos participativos y la generación de comités de participación social con fines recaudatorios y de ejecución',
          'Crear un ambiente de empoderamiento público y corresponsabilidad de la sociedad civil',
        ],
      },
      {
        codigo: '1.1.2',
        titulo:
          'Fortalecer la colaboración entre los poderes del Estado y órdenes de gobierno, a fin de garantizar la gobernanza democrática',
        lineas: [
          'Implementar acciones para incrementar la colaboración y productividad con el Poder Legislativo',
          'Mejorar los esquemas de coordinación con poderes del Estado y órdenes de gobierno',
          'Poner a disposición de las personas, mecanismos sencillos y efectivos para participar activamente en la discusión, análisis y toma de decisiones de los asuntos públicos',
        ],
      },
      {
        codigo: '1.1.3',
        titulo: 'Implementar la participación social en la evaluación de la gestión pública',
        lineas: [
          'Incrementar la participación de la sociedad en el diseño, implementación y evaluación de la gestión pública',
          'Diseñar un sistema de evaluación de resultados de la gestión pública, totalmente abierto y que permita la efectiva participación social',
          'Establecer comités de evaluación de calidad y resultados de la obra pública, con esquemas de participación ciudadana',
          'Fomentar la participación de los Comités de Contraloría Social y Colegios de Profesionistas en la vigilancia, monitoreo y evaluación en rubros especializados de la gestión pública',
        ],
      },
      {
        codigo: '1.1.4',
        titulo: 'Fomentar la legalidad y certeza jurídica en la acción gubernamental',
        lineas: [
          'Diseñar un marco jurídico que dé plena certeza a la cultura de la legalidad',
          'Fomentar en la sociedad la cultura de legalidad',
          'Impulsar el referéndum, plebiscito y la iniciativa popular como normas para legitimar la acción pública.',
        ],
      },
    ],
  },
  {
    codigo: '1.2',
    titulo: 'Gestión pública basada en resultados',
    objetivo:
      'Construir un gobierno abierto, honesto, democrático, planeado, organizado y orientado al logro de resultados, como un pilar fundamental para el uso eficiente de los recursos públicos y la promoción óptima del desarrollo del Estado.',
    estrategias: [
      {
        codigo: '1.2.1',
        titulo:
          'Implementar la planeación estratégica del Gobierno del Estado para una gestión transparente basada en resultados y con perspectiva de género',
        lineas: [
          'Establecer la Gestión Pública por Resultados (GpR) con enfoque de género',
          'Modernizar y vincular los sistemas informáticos de gestión para hacer eficiente y transparente la administración pública.',
          'Consolidar la evaluación del desempeño de la gestión pública, con base en resultados',
          'Modernizar el Sistema de Contabilidad Gubernamental y dar cumplimiento a sus disposiciones normativas',
        ],
      },
      {
        codigo: '1.2.2',
        titulo: 'Ejercer finanzas públicas honestas, transparentes, eficientes y eficaces',
        lineas: [
          'Diseñar una Política Fiscal que garantice la sostenibilidad de las finanzas estatales en el largo plazo',
          'Implementar los presupuestos participativos y mecanismos para garantizar la racionalización del gasto',
          'Fomentar acciones para optimizar los recursos destinados a inversión pública',
          'Implementar un modelo de captación y aprovechamiento de fondos federales e internacionales para el impulso a programas y proyectos estatales que tengan un impacto positivo en la sociedad',
          'Implementar acciones para garantizar la sostenibilidad del sistema de pensiones estatales',
        ],
      },
      {
        codigo: '1.2.3',
        titulo: 'Optimizar el funcionamiento de la capacidad institucional de la Administración Pública Estatal',
        lineas: [
          'Promover la certificación y rediseño de procesos con estándares de calidad',
          'Armonizar los procesos organizacionales y administrativos entre entidades de los tres órdenes de gobierno',
          'Fortalecer la gestión de recursos para los programas de modernización administrativa y mejora regulatoria',
          'Promover reformas jurídicas y administrativas para consolidar la funcionalidad de la estructura organizacional de la Administración Pública Estatal.',
          'Consolidar un tabulador único de sueldos de acuerdo a las categorías de puestos',
        ],
      },
      {
        codigo: '1.2.4',
        titulo: 'Profesionalización, actualización y evaluación de los servidores públicos',
        lineas: [
          'Consolidar el Servicio Profesional de Carrera',
          'Promover la capacitación y certificación para el desarrollo de competencias laborales y digitales de los servidores públicos, considerando como vertiente transversal el enfoque humano y psicológico',
          'Establecer esquemas de capacitación continua enfocada en perfiles de puestos específicos y a través de medios electrónicos',
          'Consolidar la evaluación del desempeño de servidores públicos',
        ],
      },
    ],
  },
  {
    codigo: '1.3',
    titulo: 'Gobernanza Electrónica',
    objetivo:
      'Conformar un esquema de gobernanza electrónica con estrategias de fortalecimiento a la infraestructura tecnológica, formación de capacidades digitales y consolidación de un amplio catálogo de servicios electrónicos, generando mecanismos alternativos de interacción electrónica con la ciudadanía, a fin de garantizar un gobierno abierto y de resultados.',
    estrategias: [
      {
        codigo: '1.3.1',
        titulo: 'Implementar un modelo de Gobernanza Electrónica',
        lineas: [
          'Implementar un modelo de gestión pública de calidad, mejora y ampliación de servicios a través del uso de tecnologías de la información.',
          'Fortalecer los mecanismos de participación ciudadana en la gestión pública, a través de medios electrónicos y de datos abiertos',
          'Fortalecer la formación del servidor público en esquemas de dirección y gestión, acordes a la gobernanza electrónica.',
          'Hacer eficientes los sistemas de comunicación interna para potencializar la gobernanza electrónica',
          'Establecer una Estrategia Digital Estatal con a fin de aprovechar los beneficios y oportunidades que el impulso y adopción de las tecnologías de la información y comunicación representan como palancas para el desarrollo económico y bienestar social del Estado, así como para el establecimiento de un gobierno cercano, eficaz, transparente y democrático',
        ],
      },
      {
        codigo: '1.3.2',
        titulo: 'Ampliar la red de infraestructura de telecomunicaciones en el territorio estatal',
        lineas: [
          'Impulsar la ampliación de infraestructura para la provisión de servicios de conectividad en todo el territorio estatal',
          'Robustecer y consolidar la capacidad de la infraestructura tecnológica estatal.',
        ],
      },
    ],
  },
  {
    codigo: '1.4',
    titulo: 'Transparencia y Rendición de Cuentas',
    objetivo:
      'Consolidar el ejercicio democrático en la transparencia y rendición de cuentas a partir de la adopción de los principios de máxima publicidad, información pública en formato de datos abiertos, transparencia proactiva, y participación ciudadana igualitaria, a fin de garantizar el derecho de acceso a la información y contribuir a la construcción de una verdadera gobernanza.',
    estrategias: [
      {
        codigo: '1.4.1',
        titulo:
          'Fortalecer la capacidad institucional para garantizar el acceso a la información, la rendición de cuentas y la transparencia proactiva',
        lineas: [
          'Promover la mejora de procesos administrativos, jurídicos, técnicos y tecnológicos para garantizar el ejercicio de la transparencia y la rendición de cuentas',
          'Fortalecer la colaboración entre órdenes de gobierno y poderes del Estado, para garantizar el acceso a la información y la rendición de cuentas',
          'Promover la capacitación y simplificación administrativa en los procesos de transparencia',
          'Implementar sistemas de transparencia proactiva y focalizada en los procesos de contratación pública',
        ],
      },
      {
        codigo: '1.4.2',
        titulo: 'Incentivar la participación ciudadana en el aprovechamiento de los medios de transparencia y acceso a la información',
        lineas: [
          'Impulsar mecanismos de participación social para la construcción de la transparencia proactiva',
          'Fortalecer los mecanismos de difusión de la información pública',
          'Fomentar la participación ciudadana en procesos estratégicos de la gestión pública',
          'Fomentar el uso y simplificación de tecnologías de la información como medio para consolidar la transparencia proactiva',
        ],
      },
    ],
  },
  {
    codigo: '1.5',
    titulo: 'Combate a la Corrupción',
    objetivo:
      'Disminuir los índices de impunidad y corrupción mediante la implementación y consolidación del Sistema Estatal Anticorrupción, para fomentar el honesto ejercicio de la gestión pública y recuperar la confianza ciudadana.',
    estrategias: [
      {
        codigo: '1.5.1',
        titulo: 'Implementar y consolidar el Sistema Estatal Anticorrupción',
        lineas: [
          'Generar mecanismos que garanticen la autonomía plena de los organismos del Sistema Estatal Anticorrupción',
          'Establecer formas de participación ciudadana efectiva y autónoma en los organismos del Sistema Estatal Anticorrupción',
          'Impulsar reformas a los esquemas administrativos, para reducir condiciones que den lugar a actos de corrupción',
          'Implementar acciones para combatir la impunidad y sancionar severamente los actos de corrupción',
        ],
      },
      {
        codigo: '1.5.2',
        titulo: 'Fortalecer a las instituciones para la prevención y el combate a la corrupción',
        lineas: [
          'Promover la fiscalización preventiva y la auditoría presupuestal al momento de su ejecución',
          'Vincular la contraloría social con procesos de auditoría y fiscalización',
          'Impulsar prácticas para desterrar la opacidad en la información, la deshonestidad, el conflicto de intereses y el nepotismo, entre otras',
        ],
      },
    ],
  },
  {
    codigo: '1.6',
    titulo: 'Fortalecimiento Municipal',
    objetivo:
      'Promover el desarrollo municipal a través del fortalecimiento de capacidades institucionales y la transición a esquemas de desarrollo regional, territorial y colaboración internacional.',
    estrategias: [
      {
        codigo: '1.6.1',
        titulo: 'Fortalecer las capacidades institucionales de los Municipios',
        lineas: [
          'Impulsar la creación del Sistema Municipal Anticorrupción',
          'Instrumentar programas para la mejora de capacidades técnicas en las administraciones municipales',
          'Fortalecer los marcos de colaboración ante organismos que promueven el desarrollo municipal, tales como el CEDEMUN y la asociación de contralores estados-municipios',
          'Fortalecer las capacidades de gestión municipal para la promoción, atracción y diversificación de inversiones',
          'Promover en el marco del federalismo fiscal municipal, el fortalecimiento a la capacidad recaudatoria y de gestión de recursos, así como medidas compensatorias para impulsar el desarrollo de municipios en situación de vulnerabilidad',
          'Fortalecer la participación municipal a través del Sistema Estatal de Coordinación Hacendaria',
        ],
      },
      {
        codigo: '1.6.2',
        titulo: 'Impulsar la colaboración regional y territorial',
        lineas: [
          'Insertar a los municipios en el modelo de desarrollo regional y territorial',
          'Promover el desarrollo de proyectos de impacto regional y territorial',
        ],
      },
      {
        codigo: '1.6.3',
        titulo: 'Promover la inserción municipal en el ámbito internacional',
        lineas: [
          'Aprovechar los convenios de hermanamiento para fortalecer la colaboración municipal en el ámbito internacional',
          'Impulsar acciones de colaboración entre el gobierno estatal y los municipales, para su promoción internacional',
        ],
      },
    ],
  },
  {
    codigo: '1.7',
    titulo: 'Colaboración Internacional',
    objetivo:
      'Fortalecer la coordinación interinstitucional, así como la colaboración con organismos internacionales y la promoción integral del Estado en el ámbito internacional, como estrategia para promover el desarrollo integral del Estado.',
    estrategias: [
      {
        codigo: '1.7.1',
        titulo: 'Fortalecer la colaboración con organismos internacionales promotores del desarrollo',
        lineas: [
          'Crear una red de relaciones con organismos, agencias e instituciones internacionales de carácter público y privado',
          'Fortalecer el desarrollo institucional y la capacidad de gestión para el acceso a la cooperación internacional',
          'Formar alianzas estratégicas con otras entidades federativas, para facilitar la colaboración con organismos internacionales',
          'Institucionalizar una red estatal que atienda los compromisos adquiridos en el marco de acuerdos internacionales, como mecanismo de integración formal subnacional',
        ],
      },
      {
        codigo: '1.7.2',
        titulo: 'Fortalecer la promoción integral del Estado en el ámbito internacional',
        lineas: [
          'Impulsar un rediseño institucional para fortalecer actividades de promoción y cooperación internacional',
          'Impulsar la coordinación interinstitucional para la vinculación internacional del Estado.',
        ],
      },
    ],
  },
];

/** METAS of the eje, attached to the objective they belong to; `valor` is the 2021 target where the text gives a number. */

export const PED_METAS: { objetivo: string; descripcion: string; valor: number | null }[] = [
  {
    objetivo: '1.1',
    descripcion:
      'Lograr que el 50% de integrantes de los órganos de participación social para la definición de política pública, sean mujeres.',
    valor: 50,
  },
  {
    objetivo: '1.1',
    descripcion: 'Incrementar la participación ciudadana en los procesos electorales para alcanzar la media nacional.',
    valor: null,
  },
  {
    objetivo: '1.1',
    descripcion: 'Actualizar anualmente la agenda de participación con las organizaciones de la sociedad civil.',
    valor: null,
  },
  {
    objetivo: '1.1',
    descripcion: 'Mantener actualizado el 100% del Marco Jurídico Estatal.',
    valor: 100,
  },
  {
    objetivo: '1.1',
    descripcion: 'Compilar el Marco Jurídico Municipal del Estado.',
    valor: null,
  },
  {
    objetivo: '1.1',
    descripcion:
      'Garantizar la disponibilidad de las publicaciones en el Periódico Oficial en la misma fecha de su publicación, tanto en medios impresos como electrónicos.',
    valor: null,
  },
  {
    objetivo: '1.2',
    descripcion: 'Crear y operar el Sistema Estatal de Inversión Pública.',
    valor: null,
  },
  {
    objetivo: '1.2',
    descripcion: 'Crear el Sistema Estatal de Evaluación.',
    valor: null,
  },
  {
    objetivo: '1.2',
    descripcion: 'Instalar el Centro Estatal de Información Estadística y Geográfica.',
    valor: null,
  },
  {
    objetivo: '1.2',
    descripcion:
      'Incrementar la recaudación de ingresos de fuentes locales a un 7% a través de una reforma fiscal integral y la modernización y sistematización del sistema de ingresos.',
    valor: 7,
  },
  {
    objetivo: '1.2',
    descripcion:
      'Implementar el Presupuesto Basado en Resultados, logrando estar en el rango de alto cumplimiento (70-100%) en el Índice General de Avance en PbR-SED en las Entidades Federativas.',
    valor: 100,
  },
  {
    objetivo: '1.2',
    descripcion: 'Lograr una calificación de 100% en el Índice de Información Presupuestal Estatal.',
    valor: 100,
  },
  {
    objetivo: '1.2',
    descripcion:
      'Incrementar en un 55% el número de servidores públicos de la Administración Pública Estatal, certificados en competencias laborales y digitales.',
    valor: 55,
  },
  {
    objetivo: '1.2',
    descripcion:
      'Incrementar en un 50% el número de acreditaciones en materia de capacitación de servidores públicos de la Administración Pública Estatal.',
    valor: 50,
  },
  {
    objetivo: '1.2',
    descripcion:
      'Alcanzar el 100% de participación y cumplimiento en el proceso de Evaluación del Desempeño de los servidores públicos de confianza.',
    valor: 100,
  },
  {
    objetivo: '1.2',
    descripcion: 'Incorporar la perspectiva de género en el 80% de los programas gubernamentales.',
    valor: 80,
  },
  {
    objetivo: '1.2',
    descripcion:
      '1540 Proveedores de bienes y 1368 Prestadores de Servicio Zacatecanos, adjudicados a través del procedimiento de compra directa al 2021.',
    valor: null,
  },
  {
    objetivo: '1.3',
    descripcion: 'Transparentar el 100% de las licitaciones públicas a través del uso de medios electrónicos y redes sociales.',
    valor: 100,
  },
  {
    objetivo: '1.3',
    descripcion: 'Incrementar en un 50% del catálogo de servicios electrónicos de Gobierno del Estado.',
    valor: 50,
  },
  {
    objetivo: '1.4',
    descripcion: 'Mantener la calificación de 100 en la evaluación a los portales de transparencia del Poder Ejecutivo.',
    valor: 100,
  },
  {
    objetivo: '1.4',
    descripcion:
      'Consolidar la implementación de los principios de datos abiertos, máxima publicidad y transparencia proactiva, en el 100% de los portales de Gobierno del Estado.',
    valor: 100,
  },
  {
    objetivo: '1.4',
    descripcion:
      'Consolidar la implementación de un esquema de participación y colaboración ciudadana para la implementación del Gobierno Abierto.',
    valor: null,
  },
  {
    objetivo: '1.5',
    descripcion: 'Instaurar el Sistema Estatal Anticorrupción',
    valor: null,
  },
  {
    objetivo: '1.5',
    descripcion:
      'Crear el Sistema Integral de Gestión Pública, que unifique los sistemas de planeación, programación, presupuestación, ejecución y evaluación del gasto público.',
    valor: null,
  },
  {
    objetivo: '1.6',
    descripcion: 'Instalar los COPLADER en 8 regiones del Estado.',
    valor: 8,
  },
  {
    objetivo: '1.6',
    descripcion: 'Incorporar a más del 50% de los municipios, a la Agenda para el Desarrollo Municipal.',
    valor: 50,
  },
  {
    objetivo: '1.7',
    descripcion:
      'Celebrar 5 convenios con organismos multilaterales de la ONU para fortalecer las capacidades institucionales del Gobierno del Estado y las OSC.',
    valor: 5,
  },
];
