// Caps Lock as the last key event in a field reported it, for the warning under the passphrase
// and PIN fields. Browsers cannot tell before a key is pressed, so the warning appears with the
// first keystroke and disappears when the field loses focus.

export class CapsLock {
  on = $state(false);

  /** For `onkeydown` and `onkeyup` of the field. */
  readonly check = (e: KeyboardEvent): void => {
    if (typeof e.getModifierState === 'function') this.on = e.getModifierState('CapsLock');
  };

  /** For `onblur`. */
  readonly reset = (): void => {
    this.on = false;
  };
}
