using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LegacyLinking.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class IdentityReviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "identity_reviews",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    PasswordResetAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Detached = table.Column<string>(type: "text", nullable: false),
                    ReviewedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_identity_reviews", x => x.UserId);
                });

            // Resets from before this app watched for them are not answered: deploying it must not detach every
            // identity of every user who ever reset a password (PasswordResetReview.AnsweredSinceCheckpoint).
            migrationBuilder.Sql("""
                INSERT INTO "ingestion_checkpoints" ("Name", "Value", "UpdatedAt")
                VALUES ('password-resets:answered-since', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), now());
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DELETE FROM "ingestion_checkpoints" WHERE "Name" = 'password-resets:answered-since';""");

            migrationBuilder.DropTable(
                name: "identity_reviews");
        }
    }
}
