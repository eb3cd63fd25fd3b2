import { readStepAnswer } from '../src/domain/language/stepAnswers';

const service = {
  yes: ['running', 'is running', 'started'],
  no: ['stopped', 'not running', "isn't running", 'not started'],
};

describe('yes or no to a guided check, told as what was seen', () => {
  it.each([
    ['ok checked, ADSync service is stopped', 'no'],
    // The longest words win: "not running" is no, though "running" is yes.
    ['it is not running', 'no'],
    ["it isn't running", 'no'],
    ['Running.', 'yes'],
    ['checked: service started fine', 'yes'],
  ])('"%s" is %s', (text, verdict) => {
    expect(readStepAnswer(text, service)).toBe(verdict);
  });

  it.each([
    ['is it stopped?', 'a question'],
    ['it was stopped, I started it', 'both'],
    ['no idea what you mean', 'no answer word'],
    [
      'the service is stopped and since this morning passwords fail for every user in the finance department',
      'too long to be only what was seen',
    ],
  ])('"%s" is neither (%s)', (text) => {
    expect(readStepAnswer(text, service)).toBeUndefined();
  });

  it('a step without answer words reads nothing', () => {
    expect(readStepAnswer('stopped', undefined)).toBeUndefined();
  });
});
