import { describe, expect, it } from 'vitest';
import { joinPath, parseJoinPath, readJoinCode } from './join-code';

describe('join codes', () => {
  it('reads the code of a join address', () => {
    expect(parseJoinPath('/join/AB12CD')).toBe('AB12CD');
    expect(parseJoinPath('/join/ab12cd/')).toBe('AB12CD');
    expect(parseJoinPath('/')).toBeNull();
    expect(parseJoinPath('/join/')).toBeNull();
    expect(parseJoinPath('/join/a%20b')).toBeNull();
    expect(parseJoinPath('/join/AB12CD/extra')).toBeNull();
    expect(parseJoinPath('/d/AB12CD')).toBeNull();
  });

  it('round-trips through joinPath', () => {
    expect(parseJoinPath(joinPath('XY7Q2K'))).toBe('XY7Q2K');
  });

  it('takes a typed code in any case and with spaces', () => {
    expect(readJoinCode(' ab1 2cd ')).toEqual({ code: 'AB12CD' });
  });

  it('takes a pasted join link', () => {
    expect(readJoinCode('http://warren.example/join/k3p9zz')).toEqual({ code: 'K3P9ZZ' });
  });

  it('says why something is not a code', () => {
    expect(readJoinCode('  ')).toEqual({ problem: 'Type the code the teacher shows.' });
    expect(readJoinCode('ab!')).toHaveProperty('problem');
    expect(readJoinCode('abc')).toHaveProperty('problem');
  });
});
