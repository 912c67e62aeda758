-- V49: yearly evaluation runs, their scores with the inputs they used, figures staff enter, explanation tasks
-- (docs/reports.md "The yearly benefit evaluation"). A run scores every covered instrument of the tenant under one
-- scheme version for one year; runs of (scheme code, year) count versions up. A draft run is recomputed in place; a
-- published run is frozen (its scores can no longer change: trigger EV001) and a later start with changed inputs
-- makes the next version, whose difference the diff API shows. Figures staff enter are append-only (the latest per
-- instrument, year and figure counts), each with who, when and why. Instruments below the scheme's hours get one
-- explanation task per (instrument, scheme code, year) for their managers.
-- Code: platform-core/reports org.labcommons.core.reports.evaluation (EvaluationRuns, RunRows, FigureRows).

create table evaluation_run (
    tenant_id       uuid not null default app_tenant() references tenant (id),
    id              uuid not null,
    scheme_id       uuid not null,
    scheme_code     text not null,
    year            integer not null check (year between 2000 and 2100),
    version         integer not null check (version > 0),
    status          text not null check (status in ('draft', 'published', 'superseded')),
    previous_run_id uuid,
    covered         integer not null default 0,
    scored          integer not null default 0,          -- covered instruments with every figure (ranked)
    mean_hours      numeric(12, 1),
    sd_hours        numeric(12, 1),
    mean_score      numeric(6, 1),
    sd_score        numeric(6, 1),
    min_value_fen   bigint not null,
    fingerprint     text not null,                        -- sha-256 of the scores and inputs: an unchanged restart makes no version
    computed_at     timestamptz not null,
    started_by      uuid references user_account (id),
    published_at    timestamptz,
    published_by    uuid references user_account (id),
    primary key (tenant_id, id),
    unique (tenant_id, scheme_code, year, version),
    foreign key (tenant_id, scheme_id) references evaluation_scheme (tenant_id, id)
);
-- at most one draft per scheme code and year
create unique index evaluation_run_draft_key on evaluation_run (tenant_id, scheme_code, year) where status = 'draft';
create index evaluation_run_year_idx on evaluation_run (tenant_id, year, scheme_code);

create table evaluation_score (
    tenant_id       uuid not null default app_tenant() references tenant (id),
    run_id          uuid not null,
    instrument_id   uuid not null,
    asset_number    text not null,
    name_zh         text not null,
    name_en         text not null,
    value_fen       bigint not null,
    effective_hours numeric(12, 1),
    total           numeric(6, 1),                        -- null: not available (a figure missing)
    rank            integer,                              -- 1 = best; ties share a rank; null when not available
    card            jsonb not null,                       -- the ScoreCard: groups, items, points, caps, missing
    inputs          jsonb not null,                       -- the EvaluationInputs it was computed from, with sources
    primary key (tenant_id, run_id, instrument_id),
    foreign key (tenant_id, run_id) references evaluation_run (tenant_id, id) on delete cascade
);
create index evaluation_score_rank_idx on evaluation_score (tenant_id, run_id, rank);

create table evaluation_figure (
    tenant_id     uuid not null default app_tenant() references tenant (id),
    id            uuid not null,
    instrument_id uuid not null,
    year          integer not null check (year between 2000 and 2100),
    figure        text not null check (figure ~ '^[a-zA-Z][a-zA-Z0-9]{0,39}$'),
    value         numeric(16, 2) not null check (value >= 0),
    reason        text not null check (length(reason) between 1 and 500),
    entered_by    uuid not null references user_account (id),
    entered_at    timestamptz not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id) on delete cascade
);
create index evaluation_figure_key_idx on evaluation_figure (tenant_id, instrument_id, year, figure, entered_at desc);

create table evaluation_explanation (
    tenant_id       uuid not null default app_tenant() references tenant (id),
    id              uuid not null,
    instrument_id   uuid not null,
    scheme_code     text not null,
    year            integer not null check (year between 2000 and 2100),
    run_id          uuid not null,                        -- the run that found it below the hours
    effective_hours numeric(12, 1) not null,
    below_hours     numeric(10, 1) not null,
    status          text not null check (status in ('open', 'submitted')),
    explanation     text check (length(explanation) between 1 and 2000),
    submitted_by    uuid references user_account (id),
    submitted_at    timestamptz,
    created_at      timestamptz not null,
    primary key (tenant_id, id),
    unique (tenant_id, instrument_id, scheme_code, year),
    check (status = 'open' or (explanation is not null and submitted_by is not null and submitted_at is not null)),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id) on delete cascade
);
create index evaluation_explanation_status_idx on evaluation_explanation (tenant_id, year, status);

-- a published (or superseded) run's scores never change
create function evaluation_score_frozen() returns trigger language plpgsql as $$
declare s text;
begin
    select status into s from evaluation_run where tenant_id = old.tenant_id and id = old.run_id;
    if s in ('published', 'superseded') then
        raise exception 'the scores of a published evaluation run are frozen' using errcode = 'EV001';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger evaluation_score_frozen before update or delete on evaluation_score
    for each row execute function evaluation_score_frozen();

do $$
declare t text;
begin
    foreach t in array array['evaluation_run', 'evaluation_score', 'evaluation_figure', 'evaluation_explanation'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
    end loop;
end $$;

grant select, insert, update on evaluation_run to ${appRole};
grant select, insert, update, delete on evaluation_score to ${appRole};
grant select, insert on evaluation_figure to ${appRole};
grant select, insert, update on evaluation_explanation to ${appRole};
