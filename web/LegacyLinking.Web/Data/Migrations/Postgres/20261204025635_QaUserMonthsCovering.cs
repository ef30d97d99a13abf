using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LegacyLinking.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class QaUserMonthsCovering : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_flow_user_months_Month_Days_Operation_UserId",
                table: "flow_user_months",
                columns: new[] { "Month", "Days", "Operation", "UserId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_flow_user_months_Month_Days_Operation_UserId",
                table: "flow_user_months");
        }
    }
}
