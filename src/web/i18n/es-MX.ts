// Spanish (Mexico) is the source language; en.ts mirrors these keys.
import { setupEs } from '../features/setup/messages.ts';
import { territoryEs } from '../features/territory/messages.ts';
import { accountsEs } from '../features/accounts/messages.ts';
import { indicatorsEs } from '../features/indicators/messages.ts';
import { plansEs } from '../features/plans/messages.ts';
import { programsEs } from '../features/programs/messages.ts';
import { gisEs } from '../features/gis/messages.ts';
import { emergencyEs } from '../features/emergency/messages.ts';
import { participationEs } from '../features/participation/messages.ts';
import { evaluationEs } from '../features/evaluation/messages.ts';
import { opendataEs } from '../features/opendata/messages.ts';
const es = {
  app: { name: 'Brújula', tagline: 'Planeación estratégica municipal y gobierno abierto', skip: 'Saltar al contenido' },
  demo: { banner: 'Datos de demostración: la información de esta instalación es ficticia y sirve solo para conocer Brújula.' },
  nav: {
    main: 'Navegación principal',
    home: 'Inicio',
    indicators: 'Indicadores',
    plans: 'Planes',
    programs: 'Programas y presupuesto',
    map: 'Mapa (SIG)',
    participation: 'Participación',
    evaluation: 'Evaluación',
    opendata: 'Datos abiertos',
    admin: 'Administración',
    municipalities: 'Municipios',
    users: 'Usuarios y roles',
    audit: 'Bitácora de auditoría',
    outbox: 'Correo saliente',
    api: 'API',
    login: 'Iniciar sesión',
    logout: 'Cerrar sesión',
    register: 'Crear cuenta',
    language: 'Idioma',
    municipality: 'Municipio',
    menu: 'Menú',
    notifications: 'Avisos',
    notificationsCount_one: 'Avisos: {{count}} sin leer',
    notificationsCount_other: 'Avisos: {{count}} sin leer',
  },
  roles: {
    admin: 'Administración',
    planner: 'Planeación (IMPLAN)',
    enlace: 'Enlace de dependencia',
    council: 'Consejo Ciudadano',
    citizen: 'Ciudadanía',
  },
  levels: {
    estado: 'Estado',
    municipio: 'Municipio',
    localidad: 'Localidades',
    ageb: 'AGEB',
    manzana: 'Manzanas',
    colonia: 'Colonias',
    poligono: 'Polígonos',
  },
  ...territoryEs,
  ...accountsEs,
  setup: setupEs,
  ...indicatorsEs,
  ...plansEs,
  ...programsEs,
  ...gisEs,
  ...emergencyEs,
  ...participationEs,
  ...evaluationEs,
  ...opendataEs,
  common: {
    loadingMap: 'Cargando el mapa…',
    loading: 'Cargando…',
    error: 'Ocurrió un error',
    retry: 'Reintentar',
    previous: 'Anterior',
    next: 'Siguiente',
    page: 'Página {{page}} de {{pages}}',
    results: '{{count}} resultados',
    notFound: 'Página no encontrada',
    back: 'Volver al inicio',
    download: 'Descargar',
    close: 'Cerrar',
    habitants: 'habitantes',
    serviceStatus: 'Estado del servicio',
  },
};
export default es;
export type Messages = typeof es;
