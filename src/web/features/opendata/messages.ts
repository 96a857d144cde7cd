// Messages of open data and the publication policy; the English ones must have the same keys (the compiler checks).
export const opendataEs = {
  open: {
    title: 'Política de publicación de datos abiertos',
    intro:
      'Todo lo que esta instalación de Brújula hace público se publica también como datos abiertos, en el momento en que se publica, para que cualquiera pueda descargarlo, reutilizarlo y verificarlo.',
    what: {
      title: 'Qué se publica',
      text: 'Indicadores publicados con sus fichas y valores; planes desde su consulta pública, con sus elementos, metas y versiones; acciones y obras del POA publicadas, con presupuesto por fuente, contrato y reportes de avance revisados; capas del SIG marcadas como públicas; propuestas, consultas, presupuesto participativo y reportes ciudadanos; opiniones y acuerdos del Consejo al cerrar cada sesión.',
    },
    when: {
      title: 'Cuándo',
      text: 'En el momento en que se publica en Brújula y con cada cambio posterior. Cada release OCDS de una obra lleva la fecha de su último cambio y un identificador que cambia cuando cambia su contenido; la historia pública de cada registro muestra qué cambió y cuándo.',
    },
    formats: {
      title: 'Formatos',
      text: 'API JSON documentada en OpenAPI; descargas CSV, XLSX y GeoJSON; OGC API – Features y teselas vectoriales para el SIG; obra pública en el Estándar de Datos para las Contrataciones Abiertas (OCDS 1.1, base de EDCA‑MX) como paquetes de releases y de registros; reportes ciudadanos en Open311 GeoReport v2; canal Atom de propuestas.',
    },
    license: {
      title: 'Licencia',
      text: 'Creative Commons Atribución 4.0 (CC BY 4.0), salvo que una capa o conjunto de datos indique otra licencia en sus metadatos. Cite la fuente: el municipio y Brújula.',
    },
    private: {
      title: 'Lo que nunca se publica',
      text: 'Datos personales de quien reporta, propone o vota (nombre, correo, teléfono, CURP), el sentido de cada voto, los borradores y las notas internas de revisión. Los votos del presupuesto participativo se publican anónimos para que cualquiera pueda recontarlos.',
    },
    ids: {
      title: 'Identificadores',
      text: 'Cada obra tiene un ocid formado por el prefijo OCDS de la instalación, la clave INEGI del municipio y la clave de la obra. El municipio se identifica como MX-INEGI y los contratistas por su RFC (MX-RFC).',
    },
    contact: {
      title: 'Contacto y correcciones',
      text: 'Para reportar un error en los datos o pedir un conjunto que aún no se publica, escriba al área de planeación del municipio; las correcciones se publican como nuevas versiones, sin borrar la historia.',
    },
    links: 'Descargas de este municipio',
    releases: 'Obra pública: paquete de releases OCDS 1.1',
    records: 'Obra pública: paquete de registros OCDS 1.1',
    ogc: 'Capas del SIG: OGC API – Features',
    open311: 'Reportes ciudadanos: Open311 GeoReport v2',
    api: 'Documentación de la API',
  },
};

export const opendataEn: typeof opendataEs = {
  open: {
    title: 'Open data publication policy',
    intro:
      'Everything this Brújula installation makes public is also published as open data, at the moment it is published, so that anyone can download, reuse and check it.',
    what: {
      title: 'What is published',
      text: 'Published indicators with their metadata and values; plans from their public consultation on, with their elements, targets and versions; published POA actions and public works, with budget by source, contract and reviewed progress reports; SIG layers marked public; proposals, consultations, participatory budgets and citizen reports; the Council’s opinions and agreements once each session closes.',
    },
    when: {
      title: 'When',
      text: 'When it is published in Brújula, and with every later change. Each OCDS release of a work carries the date of its last change and an identifier that changes when its content does; the public history of each record shows what changed and when.',
    },
    formats: {
      title: 'Formats',
      text: 'A JSON API documented in OpenAPI; CSV, XLSX and GeoJSON downloads; OGC API – Features and vector tiles for the SIG; public works in the Open Contracting Data Standard (OCDS 1.1, the base of EDCA‑MX) as release and record packages; citizen reports in Open311 GeoReport v2; an Atom feed of proposals.',
    },
    license: {
      title: 'Licence',
      text: 'Creative Commons Attribution 4.0 (CC BY 4.0), unless a layer or dataset states another licence in its metadata. Cite the source: the municipality and Brújula.',
    },
    private: {
      title: 'What is never published',
      text: 'Personal data of whoever reports, proposes or votes (name, e-mail, phone, CURP), how each person voted, drafts and internal review notes. Participatory budget ballots are published anonymously so that anyone can recount them.',
    },
    ids: {
      title: 'Identifiers',
      text: 'Each work has an ocid made of the installation’s OCDS prefix, the municipality’s INEGI key and the work’s key. The municipality is identified as MX-INEGI and contractors by their RFC (MX-RFC).',
    },
    contact: {
      title: 'Contact and corrections',
      text: 'To report an error in the data or ask for a dataset not yet published, write to the municipality’s planning office; corrections are published as new versions, without erasing the history.',
    },
    links: 'Downloads for this municipality',
    releases: 'Public works: OCDS 1.1 release package',
    records: 'Public works: OCDS 1.1 record package',
    ogc: 'SIG layers: OGC API – Features',
    open311: 'Citizen reports: Open311 GeoReport v2',
    api: 'API documentation',
  },
};
