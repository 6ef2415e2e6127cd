-- A payment is recorded with the date the money went out and the
-- treasurer's reference (SP2D, transfer or receipt number), so that one
-- person's several rows are told apart and a payment can be traced.

-- +goose Up
ALTER TABLE honoraria ADD COLUMN paid_on date;
ALTER TABLE honoraria ADD COLUMN payment_ref text NOT NULL DEFAULT '' CHECK (length(payment_ref) <= 100);

-- +goose Down
ALTER TABLE honoraria DROP COLUMN payment_ref;
ALTER TABLE honoraria DROP COLUMN paid_on;
