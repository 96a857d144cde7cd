-- More of what modules publish for the others (see 0016): the roles staff hold, the states, and
-- the read model that evaluation's scorecards, participation's links and the plan ⇄ POA
-- alignment read of indicators, plans and programs. Plain views: PostgreSQL inlines them.

-- accounts: who holds which role where (assigning evaluators, counting staff); nothing else of a person.
create view shared_role_grants as
  select user_id, municipality_id, department_id, role from role_grants;

-- territory: INEGI's catalogue of states.
create view shared_states as
  select cve_ent, name, abbreviation from states;

-- indicators: the catalogue of indicators and their themes.
create view shared_indicators as
  select id, municipality_id, clave, nombre, formula, theme_code, department_id, unidad_medida, sentido, decimales,
         frecuencia, estado, tipo, dimension, nivel_mir, linea_base_valor, linea_base_anio,
         semaforo_verde, semaforo_amarillo, is_demo
    from indicators;

create view shared_indicator_themes as
  select code, name, name_en, sort from indicator_themes;

-- plans: plans, their elements (objetivos, estrategias, líneas de acción) and their metas.
create view shared_plans as
  select id, municipality_id, tipo, titulo, estado, periodo_inicio, periodo_fin, niveles, is_demo from plans;

create view shared_plan_elements as
  select id, municipality_id, plan_id, parent_id, nivel, codigo, titulo, posicion, responsables from plan_elements;

create view shared_plan_metas as
  select id, municipality_id, element_id, indicator_id, descripcion, linea_base, valores, posicion from plan_metas;

-- programs: the POA (programs, actions and works, their budgets and their alignment to plans) and
-- the progress reports of each period.
create view shared_poa_programs as
  select id, municipality_id, department_id, anio, clave, nombre, is_demo from poa_programs;

create view shared_poa_actions as
  select id, municipality_id, program_id, department_id, tipo, clave, nombre, avance_fisico, publicado,
         fecha_inicio, fecha_fin, beneficiarios, geom, is_demo, updated_at
    from poa_actions;

create view shared_action_budgets as
  select municipality_id, action_id, funding_source_id, aprobado, modificado, ejercido from action_budgets;

create view shared_action_alignments as
  select municipality_id, action_id, element_id from action_alignments;

create view shared_progress_reports as
  select id, municipality_id, action_id, periodo, avance_fisico, ejercido, estado, created_at, reviewed_at
    from progress_reports;
