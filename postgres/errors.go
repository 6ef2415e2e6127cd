package postgres

import "sinergi/errs"

func errorsNotFound(what string, id int64) error {
	return errs.NotFoundf("%s %d not found", what, id)
}
