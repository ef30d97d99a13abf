using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LegacyLinking.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UserMonths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "flow_user_months",
                columns: table => new
                {
                    Month = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Operation = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Flow = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    UserId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Days = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flow_user_months", x => new { x.Month, x.Operation, x.Flow, x.UserId });
                });

            // One row per user, flow and month with a bit per day, from the rows per user, flow and day.
            migrationBuilder.Sql("""
                INSERT INTO flow_user_months ("Month", "Operation", "Flow", "UserId", "Days")
                SELECT date_trunc('month', "Day" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', "Operation", "Flow", "UserId",
                       bit_or(1 << (extract(day FROM "Day" AT TIME ZONE 'UTC')::int - 1))
                FROM flow_user_days
                GROUP BY 1, "Operation", "Flow", "UserId";
                """);

            migrationBuilder.DropTable(
                name: "flow_user_days");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "flow_user_days",
                columns: table => new
                {
                    Day = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Operation = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Flow = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    UserId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flow_user_days", x => new { x.Day, x.Operation, x.Flow, x.UserId });
                });

            migrationBuilder.Sql("""
                INSERT INTO flow_user_days ("Day", "Operation", "Flow", "UserId")
                SELECT "Month" + ("n" - 1) * interval '1 day', "Operation", "Flow", "UserId"
                FROM flow_user_months CROSS JOIN generate_series(1, 31) AS "n"
                WHERE ("Days" >> ("n" - 1)) & 1 = 1;
                """);

            migrationBuilder.DropTable(
                name: "flow_user_months");
        }
    }
}
