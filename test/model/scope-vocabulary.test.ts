import { describe, expect, it } from 'vitest';
import { scopeGrants, scopeVocabulary } from '../../src/model/scope-vocabulary.ts';

const luxcore = {
  vocabulary: ['payments.read', 'payments.create'],
  aliases: { 'payments.view': 'payments.read' },
};
const gateway = {
  resources: ['invoice', 'checkout'],
  actions: ['read', 'create', '*'],
  separator: ':',
  wildcard: '*',
};

describe('scope rules', () => {
  it('an alias grants what it stands for, and the reverse', () => {
    expect(scopeGrants(luxcore, ['payments.view'], 'payments.read')).toBe(true);
    expect(scopeGrants(luxcore, ['payments.read'], 'payments.view')).toBe(true);
    expect(scopeGrants(luxcore, ['payments.view'], 'payments.create')).toBe(false);
  });
  it('resource:* grants every action of that resource and nothing of another', () => {
    expect(scopeGrants(gateway, ['invoice:*'], 'invoice:read')).toBe(true);
    expect(scopeGrants(gateway, ['invoice:*'], 'checkout:create')).toBe(false);
  });
  it('a resource that merely starts with another is not covered by its wildcard', () => {
    expect(
      scopeGrants(
        { ...gateway, resources: ['invoice', 'invoice_item'] },
        ['invoice:*'],
        'invoice_item:read',
      ),
    ).toBe(false);
  });
  it('the vocabulary includes resource x action pairs and aliases', () => {
    expect(scopeVocabulary(gateway)).toContain('checkout:*');
    expect(scopeVocabulary(luxcore)).toContain('payments.view');
  });
});
