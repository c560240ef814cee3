import { describe, expect, it } from 'vitest';
import { loadPreset, presetKpiValues, variantWriter } from './load-preset.js';

const variant = variantWriter('isms-lms-');

describe('preset lms-training', () => {
  it('reads the documented layout: quoted names, ISO and day-first dates, "-" as empty', async () => {
    const { rows, problems, loaded } = await loadPreset('lms-training', 'lms-training.csv');
    expect(problems).toEqual([]);
    expect(loaded.source.config.kind).toBe('snapshot');
    expect(rows).toHaveLength(8);
    expect(rows[0]).toEqual({
      user: 'Lena Vogt',
      email: 'lena.vogt@example.com',
      department: 'Finance',
      role: 'Employee',
      course: 'Security awareness basics',
      assigned: Date.parse('2025-03-03T00:00:00Z'),
      due: Date.parse('2025-03-31T00:00:00Z'),
      completed: Date.parse('2025-03-12T00:00:00Z'),
      status: 'completed',
      score: 92,
    });
    // An empty completion, and no score.
    expect(rows[2]).toMatchObject({ user: 'Marek Nowak', completed: null, status: 'overdue', score: null });
    // A quoted name with a comma; an Excel re-save wrote the completion day first.
    expect(rows[4]).toMatchObject({ user: 'Ferreira, Inês', completed: Date.parse('2026-07-01T00:00:00Z') });
    // "-" is no value.
    expect(rows[6]).toMatchObject({ user: 'Yusuf Demir', completed: null, status: 'assigned' });
  });

  it('gives exact training KPIs for 2026-Q3 (counted by hand)', async () => {
    const values = await presetKpiValues(
      { source: 'training', preset: 'lms-training', file: 'lms-training.csv' },
      {
        COMPLETED: 'count(training, completed != null)',
        // Completed on or before the due date: Lena twice, Marek (on the due day), Hannah. Inês was a day late.
        ON_TIME: 'count(training, completed <= due)',
        // Key roles (not Employee) due in Q3: Marek's course (done) and Inês's (in progress); Yusuf's is due in Q4.
        KEY_ROLES:
          'pct(count(training, role != "Employee" and due >= period_start() and due < period_end() and completed != null), count(training, role != "Employee" and due >= period_start() and due < period_end()))',
        // Refresher within 365 days of 2026-10-01: Lena (121 days) and Inês (92); Hannah's is 468 days old.
        REFRESHED:
          'count_distinct(training, email, course == "Annual security awareness refresher" and age(completed) <= 365)',
        PEOPLE: 'count_distinct(training, email)',
        MEAN_SCORE: 'mean(training, score)',
      },
    );
    expect(values).toEqual({
      COMPLETED: 5,
      ON_TIME: 4,
      KEY_ROLES: 50,
      REFRESHED: 2,
      PEOPLE: 5,
      MEAN_SCORE: (92 + 88 + 95 + 79 + 90) / 5,
    });
  });

  it('accepts common LMS header spellings and a semicolon file', async () => {
    const file = await variant(
      'lms-alt.csv',
      [
        'Learner;E-mail;Dept;Job role;Course name;Enrollment date;Due date;Completion date;Completion status;Score percent',
        'Kim Lee;kim.lee@example.com;IT;Administrator;Phishing basics;2026-07-01;15.07.2026;14.07.2026 16:20;Completed;97,5',
      ].join('\r\n'),
    );
    const { rows, problems } = await loadPreset('lms-training', file);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        user: 'Kim Lee',
        email: 'kim.lee@example.com',
        department: 'IT',
        role: 'Administrator',
        course: 'Phishing basics',
        assigned: Date.parse('2026-07-01T00:00:00Z'),
        due: Date.parse('2026-07-15T00:00:00Z'),
        completed: Date.parse('2026-07-14T16:20:00Z'),
        status: 'Completed',
        score: 97.5,
      },
    ]);
  });
});
