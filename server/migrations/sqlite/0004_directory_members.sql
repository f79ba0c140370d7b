-- Directory (issue 4): a member's own budget inside an organization (LiteLLM's
-- `max_budget_in_organization`) and their spend there, like `team_memberships` has for teams.
-- Email lookups (members added by `user_email`) compare case-insensitively.

ALTER TABLE organization_memberships ADD COLUMN max_budget_in_organization DOUBLE PRECISION;
ALTER TABLE organization_memberships ADD COLUMN spend DOUBLE PRECISION NOT NULL DEFAULT 0;
CREATE INDEX users_email_lower ON users (LOWER(user_email));
