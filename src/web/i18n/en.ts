import type { Messages } from './es-MX.ts';
import { setupEn } from '../features/setup/messages.ts';
import { territoryEn } from '../features/territory/messages.ts';
import { accountsEn } from '../features/accounts/messages.ts';
import { indicatorsEn } from '../features/indicators/messages.ts';
import { plansEn } from '../features/plans/messages.ts';
import { programsEn } from '../features/programs/messages.ts';
import { gisEn } from '../features/gis/messages.ts';
import { emergencyEn } from '../features/emergency/messages.ts';
import { participationEn } from '../features/participation/messages.ts';
import { evaluationEn } from '../features/evaluation/messages.ts';
import { opendataEn } from '../features/opendata/messages.ts';

const en: Messages = {
  app: { name: 'Brújula', tagline: 'Municipal strategic planning and open government', skip: 'Skip to content' },
  demo: { banner: 'Demonstration data: everything in this installation is fictitious and only meant to try Brújula.' },
  nav: {
    main: 'Main navigation',
    home: 'Home',
    indicators: 'Indicators',
    plans: 'Plans',
    programs: 'Programs and budget',
    map: 'Map (GIS)',
    participation: 'Participation',
    evaluation: 'Evaluation',
    opendata: 'Open data',
    admin: 'Administration',
    municipalities: 'Municipalities',
    users: 'Users and roles',
    audit: 'Audit log',
    outbox: 'Outgoing mail',
    api: 'API',
    login: 'Log in',
    logout: 'Log out',
    register: 'Sign up',
    language: 'Language',
    municipality: 'Municipality',
    menu: 'Menu',
    notifications: 'Notices',
    notificationsCount_one: 'Notices: {{count}} unread',
    notificationsCount_other: 'Notices: {{count}} unread',
  },
  roles: {
    admin: 'Administration',
    planner: 'Planning (IMPLAN)',
    enlace: 'Department liaison',
    council: 'Citizen Council',
    citizen: 'Citizen',
  },
  levels: {
    estado: 'State',
    municipio: 'Municipality',
    localidad: 'Localities',
    ageb: 'AGEB',
    manzana: 'Blocks',
    colonia: 'Neighbourhoods',
    poligono: 'Polygons',
  },
  ...territoryEn,
  ...accountsEn,
  setup: setupEn,
  ...indicatorsEn,
  ...plansEn,
  ...programsEn,
  ...gisEn,
  ...emergencyEn,
  ...participationEn,
  ...evaluationEn,
  ...opendataEn,
  common: {
    loadingMap: 'Loading the map…',
    loading: 'Loading…',
    error: 'Something went wrong',
    retry: 'Retry',
    previous: 'Previous',
    next: 'Next',
    page: 'Page {{page}} of {{pages}}',
    results: '{{count}} results',
    notFound: 'Page not found',
    back: 'Back to home',
    download: 'Download',
    close: 'Close',
    habitants: 'inhabitants',
    serviceStatus: 'Service status',
  },
};
export default en;
